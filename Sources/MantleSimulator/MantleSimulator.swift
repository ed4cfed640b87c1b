/// A local Mantle look-alike (implementation pending).
public enum MantleSimulatorLibrary {}
