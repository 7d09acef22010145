using System.Text;
using NationalId.Citizens;

namespace NationalId.Tests.Grains;

public class GrainStateJsonSerializerTests
{
    [Fact]
    public void Citizen_state_round_trips_without_dotnet_type_names()
    {
        var state = new CitizenState
        {
            Enrolled = true,
            IdNumber = "11010519491231002X",
            Name = "Zhang Wei",
            Sex = "F",
            BirthDate = "1949-12-31",
            HomeProvince = "11",
            FaceTemplate = [1, 2, 3, 4],
            PseudonymSecret = [9, 9],
            EnrolledAt = new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero),
            Credentials =
            [
                new CredentialRecord
                {
                    CredentialId = [1, 2, 3],
                    PublicKey = [4],
                    Assurance = Assurance.High,
                    Status = CredentialStatus.Revoked,
                    StatusReason = "stolen",
                    LastDeviceRequestMs = 42,
                },
            ],
        };
        var serializer = new GrainStateJsonSerializer(Support.TestKeys.DataProtector());

        var data = serializer.Serialize(state);
        var json = Encoding.UTF8.GetString(data.ToArray());
        var back = serializer.Deserialize<CitizenState>(data);

        Assert.DoesNotContain("$type", json, StringComparison.Ordinal);
        Assert.Contains("\"Revoked\"", json, StringComparison.Ordinal);
        Assert.Equal(state.IdNumber, back.IdNumber);
        Assert.Equal(state.FaceTemplate, back.FaceTemplate);
        Assert.Equal(CredentialStatus.Revoked, back.Credentials.Single().Status);
        Assert.Equal(Assurance.High, back.Credentials.Single().Assurance);
        Assert.Equal(42, back.Credentials.Single().LastDeviceRequestMs);
        Assert.Equal(state.EnrolledAt, back.EnrolledAt);
    }
}
