/// The client for Mantle's OpenAI-compatible Responses and Projects APIs (implementation pending).
public enum MantleLibrary {}
