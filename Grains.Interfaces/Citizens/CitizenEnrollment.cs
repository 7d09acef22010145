namespace NationalId.Citizens;

/// <summary>What an operator enrolls: the validated ID number, identity attributes and the reference face.</summary>
[GenerateSerializer, Immutable, Alias("nid.CitizenEnrollment")]
public sealed record CitizenEnrollment(
    [property: Id(0)] string IdNumber,
    [property: Id(1)] string Name,
    [property: Id(2)] FaceSample Face,
    [property: Id(3)] string? ResidenceProvince)
{
    public override string ToString() => "CitizenEnrollment(redacted)";
}
