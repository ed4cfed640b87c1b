/// Longhaul's domain (implementation pending).
public enum LonghaulCoreLibrary {}
