namespace NationalId.Api;

/// <summary>Operator: enroll a citizen.</summary>
public sealed record EnrollCitizenRequest(string? IdNumber, string? Name, FaceInput? Face, string? ResidenceProvince);
