/// The background loops (implementation pending).
public enum WorkersLibrary {}
