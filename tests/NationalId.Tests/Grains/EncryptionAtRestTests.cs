using System.Security.Cryptography;
using System.Text;
using NationalId.Citizens;
using NationalId.Security;

namespace NationalId.Tests.Grains;

/// <summary>Citizens' personal data in stored grain state: sealed, readable across a master-key rotation, never in clear.</summary>
public class EncryptionAtRestTests
{
    private static readonly string Key1 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string Key2 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static CitizenState Citizen() => new()
    {
        Enrolled = true,
        Handle = "c11-test-handle-a",
        IdNumber = "11010519491231002X",
        Name = "Ouyang Xiu",
        Sex = "F",
        BirthDate = "1949-12-31",
        HomeProvince = "11",
        ResidenceProvince = "44",
        FaceTemplate = [1, 2, 3, 4, 5, 6, 7, 8],
        PseudonymSecret = RandomNumberGenerator.GetBytes(32),
    };

    private static GrainStateJsonSerializer Serializer(uint current, params (uint, string)[] keys) => new(new CitizenDataProtector(keys, current));

    [Fact]
    public void Stored_citizen_state_holds_no_personal_data_in_clear_and_reads_back_whole()
    {
        var citizen = Citizen();
        var serializer = Serializer(1, (1, Key1));
        var stored = serializer.Serialize(citizen);
        var text = stored.ToString();

        foreach (var secret in new[] { "11010519491231002X", "Ouyang", "1949-12-31", "\"44\"", Convert.ToBase64String(citizen.FaceTemplate), Convert.ToBase64String(citizen.PseudonymSecret) })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        Assert.Contains("\"sealed\"", text, StringComparison.Ordinal);
        var back = serializer.Deserialize<CitizenState>(stored);
        Assert.Equal(citizen.IdNumber, back.IdNumber);
        Assert.Equal(citizen.Name, back.Name);
        Assert.Equal(citizen.ResidenceProvince, back.ResidenceProvince);
        Assert.Equal(citizen.FaceTemplate, back.FaceTemplate);
        Assert.Equal(citizen.PseudonymSecret, back.PseudonymSecret);
        Assert.Equal("11", back.HomeProvince);
        Assert.Equal(1u, CitizenDataProtector.WrappedUnder(back));
    }

    [Fact]
    public void A_master_key_rotation_reads_old_rows_rewraps_on_write_and_then_needs_only_the_new_key()
    {
        var old = Serializer(1, (1, Key1)).Serialize(Citizen());

        // Rolled out: both keys, the new one current. Old rows read; the next write wraps under key 2.
        var during = Serializer(2, (1, Key1), (2, Key2));
        var read = during.Deserialize<CitizenState>(old);
        Assert.Equal(1u, CitizenDataProtector.WrappedUnder(read));
        var rewritten = during.Serialize(read);

        // Key 1 retired: the rewritten row still reads; an old one does not (hence the re-wrap pass before retiring).
        var after = Serializer(2, (2, Key2));
        var final = after.Deserialize<CitizenState>(rewritten);
        Assert.Equal("Ouyang Xiu", final.Name);
        Assert.Equal(2u, CitizenDataProtector.WrappedUnder(final));
        Assert.Throws<CryptographicException>(() => after.Deserialize<CitizenState>(old));
    }

    [Fact]
    public void The_data_key_is_wrapped_once_per_master_key_not_at_every_write()
    {
        var serializer = Serializer(1, (1, Key1));
        var citizen = Citizen();
        static string WrappedKey(BinaryData stored) => System.Text.Json.Nodes.JsonNode.Parse(stored.ToString())!["sealed"]!["Key"]!.GetValue<string>();
        static string Data(BinaryData stored) => System.Text.Json.Nodes.JsonNode.Parse(stored.ToString())!["sealed"]!["Data"]!.GetValue<string>();

        var first = serializer.Serialize(citizen);
        var second = serializer.Serialize(citizen);
        Assert.Equal(WrappedKey(first), WrappedKey(second));
        Assert.NotEqual(Data(first), Data(second)); // the data itself gets a fresh nonce every time
    }

    [Fact]
    public void A_tampered_or_wrongly_keyed_row_is_refused_not_misread()
    {
        var stored = Serializer(1, (1, Key1)).Serialize(Citizen()).ToString();
        var otherKey = Serializer(1, (1, Key2));
        Assert.ThrowsAny<CryptographicException>(() => otherKey.Deserialize<CitizenState>(new BinaryData(Encoding.UTF8.GetBytes(stored))));
    }

    [Fact]
    public void An_enrolled_row_without_a_seal_is_refused_and_clear_personal_members_are_never_read()
    {
        // Whoever can write the table could otherwise set anyone's face, name or pseudonym secret without any key.
        const string forged = """{"Enrolled":true,"Handle":"c11-test-handle-a","IdNumber":"11010519491231002X","Name":"Ouyang Xiu","Sex":"F","BirthDate":"1949-12-31","HomeProvince":"11","FaceTemplate":"AQID","PseudonymSecret":"BAUG","Credentials":[],"Outbox":[]}""";
        var serializer = Serializer(1, (1, Key1));
        Assert.Throws<CryptographicException>(() => serializer.Deserialize<CitizenState>(new BinaryData(Encoding.UTF8.GetBytes(forged))));

        var notEnrolled = serializer.Deserialize<CitizenState>(new BinaryData(Encoding.UTF8.GetBytes(forged.Replace("\"Enrolled\":true", "\"Enrolled\":false", StringComparison.Ordinal))));
        Assert.Equal(string.Empty, notEnrolled.Name);
        Assert.Empty(notEnrolled.FaceTemplate);
    }

    [Fact]
    public void Sealed_data_moved_to_another_citizens_handle_does_not_open()
    {
        var serializer = Serializer(1, (1, Key1));
        var stored = serializer.Serialize(Citizen()).ToString();
        var moved = stored.Replace("c11-test-handle-a", "c11-test-handle-b", StringComparison.Ordinal);
        Assert.NotEqual(stored, moved);
        Assert.ThrowsAny<CryptographicException>(() => serializer.Deserialize<CitizenState>(new BinaryData(Encoding.UTF8.GetBytes(moved))));
    }

    [Fact]
    public void A_seal_of_the_first_format_not_bound_to_its_citizen_is_refused()
    {
        var serializer = Serializer(1, (1, Key1));
        var node = System.Text.Json.Nodes.JsonNode.Parse(serializer.Serialize(Citizen()).ToString())!;
        node["sealed"]!["V"] = 1;
        Assert.Throws<CryptographicException>(() => serializer.Deserialize<CitizenState>(new BinaryData(Encoding.UTF8.GetBytes(node.ToJsonString()))));
    }

    [Theory]
    [InlineData(2u, "current key missing")]
    [InlineData(1u, "short key")]
    public void Bad_master_key_configuration_stops_the_start(uint current, string _)
    {
        var keys = current == 1 ? new[] { (1u, Convert.ToBase64String(new byte[16])) } : [(1u, Key1)];
        Assert.Throws<InvalidOperationException>(() => new CitizenDataProtector(keys, current));
    }
}
