/// The REST API (implementation pending).
public enum LonghaulAPILibrary {}
