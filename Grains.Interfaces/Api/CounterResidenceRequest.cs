namespace NationalId.Api;

/// <summary>Registers a citizen's residence at a counter, after a live face match.</summary>
public sealed record CounterResidenceRequest(string? IdNumber, string? Province, FaceInput? Face);
