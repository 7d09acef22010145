namespace NationalId.Verification;

/// <summary>"Does this citizen's attribute equal the value I already hold?" Answered yes/no, nothing disclosed.</summary>
[GenerateSerializer, Immutable, Alias("nid.MatchRequest")]
public sealed record MatchRequest([property: Id(0)] string Attribute, [property: Id(1)] string Value)
{
    public override string ToString() => $"MatchRequest({Attribute}, redacted)";
}
