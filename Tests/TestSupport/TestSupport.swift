/// Helpers shared by the test targets (implementation pending).
public enum TestSupportLibrary {}
