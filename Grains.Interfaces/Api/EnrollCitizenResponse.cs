namespace NationalId.Api;

public sealed record EnrollCitizenResponse(string HomeProvince, DateTimeOffset EnrolledAt);
