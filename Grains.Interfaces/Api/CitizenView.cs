namespace NationalId.Api;

public sealed record CitizenView(string HomeProvince, IReadOnlyList<CredentialView> Credentials, bool Locked);
