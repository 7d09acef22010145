namespace NationalId.Api;

public sealed record ScopeView(string Name, string[] Attributes, string[] MatchAttributes, bool FaceRequired, string MinimumAssurance, bool InPersonAllowed);
