namespace NationalId.Api;

/// <summary>A face template and liveness score as terminals send them.</summary>
public sealed record FaceInput(float[]? Template, double? Liveness, CaptureInput? Capture = null);
