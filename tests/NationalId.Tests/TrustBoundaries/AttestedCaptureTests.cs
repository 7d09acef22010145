using System.Net;
using System.Net.Http.Json;
using NationalId.Api;
using NationalId.Client;
using NationalId.Client.Capture;
using NationalId.Client.Faces;
using NationalId.Client.Wallet;
using NationalId.IdNumbers;
using NationalId.Protocol;
using NationalId.Tests.EndToEnd;
using NationalId.Tests.Support;

namespace NationalId.Tests.TrustBoundaries;

/// <summary>
/// A phone binds itself with a face only when a trusted capture SDK attested that face for this phone's key and a
/// fresh challenge of ours (docs/reference/protocol.md §4.1). Before, the face's template and liveness were fields anyone could
/// write: a template computed from a photo bound a phone at substantial.
/// </summary>
[Collection(GatewayCollection.Name)]
public class AttestedCaptureTests(GatewayFixture gateway)
{
    private static async Task<bool> HasPhonesAsync(Story story, ResidentIdNumber id)
    {
        using var lookup = await story.Http.PostAsOperator(story.OperatorKey, "/v1/operator/citizens/lookup", new CitizenRequest(id.Value));
        var citizen = await lookup.Content.ReadFromJsonAsync<CitizenView>(ApiClientJson.Options);
        return citizen!.Credentials.Count > 0;
    }

    [Fact]
    public async Task A_matching_face_without_an_attestation_binds_nothing_for_enrolled_and_unknown_numbers_alike()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        using var phone = Wallet.Create();
        phone.CaptureSdk = null; // the template and liveness as fields: what a photo and a script can produce
        using var enrolled = await phone.ActivateAsync(story.Http, id.Value, FaceVectors.Live(FaceVectors.Capture(face, 1)), null);
        using var unknown = await phone.ActivateAsync(story.Http, TestIdentities.Next().Value, FaceVectors.Live(FaceVectors.Capture(face, 1)), null);

        Assert.Equal(HttpStatusCode.Forbidden, enrolled.StatusCode);
        Assert.Equal("capture_not_attested", await Story.ErrorCodeAsync(enrolled));
        Assert.Equal(HttpStatusCode.Forbidden, unknown.StatusCode);
        Assert.Equal("capture_not_attested", await Story.ErrorCodeAsync(unknown));
        Assert.False(await HasPhonesAsync(story, id));

        phone.CaptureSdk = CaptureSdk.Development; // the same face, attested
        using var attested = await phone.ActivateAsync(story.Http, id.Value, FaceVectors.Live(FaceVectors.Capture(face, 2)), null);
        Assert.Equal(HttpStatusCode.Created, attested.StatusCode);
    }

    /// <summary>Each part of the signed statement, changed after signing (a generated bit or value each time), is refused.</summary>
    [Fact]
    public async Task Every_part_of_the_attested_statement_is_bound_to_the_signature()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        using var phone = Wallet.Create();
        using var otherPhone = Wallet.Create();
        var random = new Random(20261202);
        Base64Url.TryDecode(otherPhone.PublicKey, out var otherKey);

        var tamperings = new List<(string What, Func<FaceInput, FaceInput> Tamper)>
        {
            ("vendor", f => f with { Capture = f.Capture! with { Vendor = "nid-other-capture" } }),
            ("captured at", f => f with { Capture = f.Capture! with { CapturedAtMs = f.Capture.CapturedAtMs + random.Next(1, 20_000) } }),
            ("challenge", f => f with { Capture = f.Capture! with { Challenge = FlipBit(f.Capture.Challenge!, random) } }),
            ("signature", f => f with { Capture = f.Capture! with { Signature = FlipBit(f.Capture.Signature!, random) } }),
            ("template", f => f with { Template = Nudge(f.Template!, random) }),
            ("liveness", f => f with { Liveness = Math.Min(1, f.Liveness!.Value + 0.001) }),
        };
        for (var round = 0; round < 3; round++)
        {
            foreach (var (what, tamper) in tamperings)
            {
                var genuine = await phone.AttestAsync(story.Http, CaptureSdk.Development, FaceVectors.Live(FaceVectors.Capture(face, random.Next()), 0.97));
                phone.CaptureSdk = null;
                using var response = await phone.ActivateAsync(story.Http, id.Value, tamper(genuine), null);
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{what}: {response.StatusCode}");
                Assert.Equal("capture_not_attested", await Story.ErrorCodeAsync(response));
            }

            // Attested for another phone's key: this phone cannot use it.
            Base64Url.TryDecode((await phone.AttestAsync(story.Http, CaptureSdk.Development, FaceVectors.Live(face))).Capture!.Challenge, out var challenge);
            var forOther = CaptureSdk.Development.Attest(FaceVectors.Live(FaceVectors.Capture(face, round)), challenge, otherKey, DateTimeOffset.UtcNow);
            using var stolen = await phone.ActivateAsync(story.Http, id.Value, forOther, null);
            Assert.Equal("capture_not_attested", await Story.ErrorCodeAsync(stolen));
        }

        Assert.False(await HasPhonesAsync(story, id));
    }

    [Fact]
    public async Task A_challenge_counts_once_for_enrolled_and_unknown_numbers_alike()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        foreach (var target in new[] { id, TestIdentities.Next() })
        {
            using var phone = Wallet.Create();
            var stranger = await phone.AttestAsync(story.Http, CaptureSdk.Development, FaceVectors.Live(FaceVectors.Person(Random.Shared.Next())));
            Base64Url.TryDecode(stranger.Capture!.Challenge, out var challenge);
            Base64Url.TryDecode(phone.PublicKey, out var key);
            phone.CaptureSdk = null;
            using var first = await phone.ActivateAsync(story.Http, target.Value, stranger, null);
            Assert.Equal("face_mismatch", await Story.ErrorCodeAsync(first));

            // The same challenge again, now with the citizen's own face, freshly attested: refused, used once already.
            var again = CaptureSdk.Development.Attest(FaceVectors.Live(FaceVectors.Capture(face, 3)), challenge, key, DateTimeOffset.UtcNow);
            using var second = await phone.ActivateAsync(story.Http, target.Value, again, null);
            Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode);
            Assert.Equal("capture_not_attested", await Story.ErrorCodeAsync(second));
        }

        Assert.False(await HasPhonesAsync(story, id));
    }

    /// <summary>
    /// An attempt that stores nothing (here: liveness below the minimum) leaves its challenge unmarked for both, so the
    /// same request again answers the same. Before, an enrolled citizen's grain kept the mark in memory and answered
    /// capture_not_attested the second time, while an unknown number's (dropped after every call) did not.
    /// </summary>
    [Fact]
    public async Task An_attempt_that_stores_nothing_answers_the_same_when_sent_again_for_enrolled_and_unknown_numbers()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        foreach (var target in new[] { id, TestIdentities.Next() })
        {
            using var phone = Wallet.Create();
            var weak = await phone.AttestAsync(story.Http, CaptureSdk.Development, FaceVectors.Live(FaceVectors.Capture(face, 1), 0.5));
            phone.CaptureSdk = null;
            for (var attempt = 0; attempt < 3; attempt++)
            {
                using var response = await phone.ActivateAsync(story.Http, target.Value, weak, null);
                Assert.Equal("liveness_insufficient", await Story.ErrorCodeAsync(response));
            }
        }
    }

    [Fact]
    public async Task A_vendor_registered_by_an_operator_attests_until_it_is_revoked()
    {
        using var story = new Story(gateway);
        var vendorId = "vendor-" + Guid.NewGuid().ToString("N")[..8];
        var sdk = CaptureSdk.NewVendor(vendorId);
        var (first, firstFace) = await story.EnrollAsync();
        var (second, secondFace) = await story.EnrollAsync();

        using (var before = Wallet.Create())
        {
            before.CaptureSdk = sdk;
            using var unregistered = await before.ActivateAsync(story.Http, first.Value, FaceVectors.Live(FaceVectors.Capture(firstFace, 1)), null);
            Assert.Equal("capture_not_attested", await Story.ErrorCodeAsync(unregistered));
        }

        using var registered = await story.Http.PostAsOperator(story.OperatorKey, "/v1/operator/capture-vendors",
            new RegisterCaptureVendorRequest(vendorId, "Test vendor", sdk.PublicKey));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        using var phone = Wallet.Create();
        phone.CaptureSdk = sdk;
        Assert.Equal(HttpStatusCode.Created, (await phone.ActivateAsync(story.Http, first.Value, FaceVectors.Live(FaceVectors.Capture(firstFace, 2)), null)).StatusCode);

        using var revoked = await story.Http.PostAsOperator(story.OperatorKey, $"/v1/operator/capture-vendors/{vendorId}/revoke",
            new CaptureVendorRevocationRequest("key leaked"));
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        using var next = Wallet.Create();
        next.CaptureSdk = sdk;
        using var afterRevocation = await next.ActivateAsync(story.Http, second.Value, FaceVectors.Live(FaceVectors.Capture(secondFace, 1)), null);
        Assert.Equal(HttpStatusCode.Forbidden, afterRevocation.StatusCode);
        Assert.Equal("capture_not_attested", await Story.ErrorCodeAsync(afterRevocation));

        // A revoked id is never reused, and the list says what happened.
        using var again = await story.Http.PostAsOperator(story.OperatorKey, "/v1/operator/capture-vendors",
            new RegisterCaptureVendorRequest(vendorId, "Test vendor", CaptureSdk.NewVendor(vendorId).PublicKey));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using var listRequest = new HttpRequestMessage(HttpMethod.Get, "/v1/operator/capture-vendors");
        listRequest.Headers.Add("X-Operator-Key", story.OperatorKey);
        using var list = await story.Http.SendAsync(listRequest);
        var vendors = await list.Content.ReadFromJsonAsync<CaptureVendorResponse[]>(ApiClientJson.Options);
        var listed = Assert.Single(vendors!, v => v.VendorId == vendorId);
        Assert.Equal("key leaked", listed.RevokedReason);
        Assert.Contains(vendors!, v => v.VendorId == CaptureSdk.DevelopmentVendorId && v.Source == "configuration" && v.RevokedAt is null);
    }

    [Fact]
    public async Task Malformed_attestations_and_vendor_registrations_are_refused_with_400_and_change_nothing()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        using var phone = Wallet.Create();
        var genuine = await phone.AttestAsync(story.Http, CaptureSdk.Development, FaceVectors.Live(FaceVectors.Capture(face, 1)));
        phone.CaptureSdk = null;
        var random = new Random(7);
        var malformed = new List<CaptureInput>();
        foreach (var vendor in new string?[] { null, "", "x", "-abc", "Upper", "a b", "é-vendor", new('a', 33) })
        {
            malformed.Add(genuine.Capture! with { Vendor = vendor });
        }

        foreach (var length in new[] { 0, 1, 31, 33, 64 })
        {
            malformed.Add(genuine.Capture! with { Challenge = Base64Url.Encode(RandomBytes(random, length)) });
        }

        foreach (var length in new[] { 0, 63, 65, 72 })
        {
            malformed.Add(genuine.Capture! with { Signature = Base64Url.Encode(RandomBytes(random, length)) });
        }

        malformed.Add(genuine.Capture! with { Challenge = genuine.Capture.Challenge + "=" });
        malformed.Add(genuine.Capture! with { Signature = "not base64url!" });
        malformed.Add(genuine.Capture! with { CapturedAtMs = null });
        malformed.Add(genuine.Capture! with { CapturedAtMs = -1 });
        foreach (var capture in malformed)
        {
            using var response = await phone.ActivateAsync(story.Http, id.Value, genuine with { Capture = capture }, null);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_capture", await Story.ErrorCodeAsync(response));
        }

        Assert.False(await HasPhonesAsync(story, id));

        var badRegistrations = new (RegisterCaptureVendorRequest Request, string Code)[]
        {
            (new(null, "V", CaptureSdk.Development.PublicKey), "invalid_vendor_id"),
            (new("UPPER", "V", CaptureSdk.Development.PublicKey), "invalid_vendor_id"),
            (new("good-id", null, CaptureSdk.Development.PublicKey), "invalid_name"),
            (new("good-id", "V", null), "invalid_public_key"),
            (new("good-id", "V", Base64Url.Encode(RandomBytes(random, 65))), "invalid_public_key"),
            (new("good-id", "V", Base64Url.Encode(RandomBytes(random, 33))), "invalid_public_key"),
        };
        foreach (var (request, code) in badRegistrations)
        {
            using var response = await story.Http.PostAsOperator(story.OperatorKey, "/v1/operator/capture-vendors", request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(code, await Story.ErrorCodeAsync(response));
        }
    }

    /// <summary>
    /// Generated hostile captures, written as raw JSON (so numbers past a long and strings JSON libraries would not
    /// write reach the gateway): NUL and control characters, 10,000 characters, empty and non-ASCII vendor ids,
    /// capture times negative, past 9999 or past a long, challenges and signatures of every length or not base64url.
    /// Each is a 4xx with its code, never a 5xx, never a phone bound.
    /// </summary>
    [Fact]
    public async Task Generated_hostile_captures_are_refused_with_a_4xx_code_and_bind_nothing()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        using var phone = Wallet.Create();
        var genuine = await phone.AttestAsync(story.Http, CaptureSdk.Development, FaceVectors.Live(FaceVectors.Capture(face, 1)));
        var random = new Random(20261203);
        string Text()
        {
            string[] texts = ["", "\u0000", "nid-dev-capture\u0000", new string('a', 10_000), "é", "\u202e", "nid dev", "-x", genuine.Capture!.Vendor!, "\ud800"];
            return random.Next(2) == 0 ? genuine.Capture!.Vendor! : texts[random.Next(texts.Length)];
        }

        string Number()
        {
            string[] numbers = ["-1", "0", "-9223372036854775808", "9223372036854775807", "9223372036854775808", "253402300800000", "1e308", "1.5", "NaN", "\"1\"", "null",
                (DateTimeOffset.UtcNow.AddYears(100).ToUnixTimeMilliseconds()).ToString(System.Globalization.CultureInfo.InvariantCulture), genuine.Capture!.CapturedAtMs!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)];
            return random.Next(2) == 0 ? numbers[^1] : numbers[random.Next(numbers.Length)];
        }

        string Bytes(string genuineValue)
        {
            if (random.Next(2) == 0)
            {
                return genuineValue;
            }

            var bytes = new byte[random.Next(0, 100)];
            random.NextBytes(bytes);
            string[] shapes = [Base64Url.Encode(bytes.Length == 0 ? [0] : bytes), Base64Url.Encode(bytes.Length == 0 ? [0] : bytes) + "=", "not base64url!", "", new string('A', 10_000), Base64Url.Encode(new byte[32]), Base64Url.Encode(new byte[64])];
            return shapes[random.Next(shapes.Length)];
        }

        var template = System.Text.Json.JsonSerializer.Serialize(genuine.Template);
        var codes = new HashSet<string?>();
        for (var i = 0; i < 300; i++)
        {
            var capture = $"{{\"vendor\":\"{Text()}\",\"capturedAtMs\":{Number()},\"challenge\":\"{Bytes(genuine.Capture!.Challenge!)}\",\"signature\":\"{Bytes(genuine.Capture!.Signature!)}\"}}";
            if (capture == System.Text.Json.JsonSerializer.Serialize(genuine.Capture, ApiClientJson.Options))
            {
                continue; // the genuine attestation itself, unchanged: that one binds, as it should
            }

            var body = System.Text.Encoding.UTF8.GetBytes(
                $"{{\"idNumber\":\"{id.Value}\",\"publicKey\":\"{phone.PublicKey}\",\"face\":{{\"template\":{template},\"liveness\":0.98,\"capture\":{capture}}}}}");
            using var request = phone.SignedRequest(HttpMethod.Post, "/v1/wallet/activations", body, withCredential: false);
            using var response = await story.Http.SendAsync(request);
            var code = await Story.ErrorCodeAsync(response);
            Assert.True((int)response.StatusCode is 400 or 403 or 413, $"{capture[..Math.Min(capture.Length, 200)]}: {response.StatusCode} {code}");
            Assert.Contains(code, new[] { "invalid_capture", "capture_not_attested", "invalid_text", "malformed_json", "body_too_large" });
            codes.Add(code);
        }

        Assert.Contains("invalid_capture", codes);
        Assert.Contains("capture_not_attested", codes);
        Assert.False(await HasPhonesAsync(story, id));
    }

    [Fact]
    public async Task Challenges_are_fresh_and_cost_no_activation()
    {
        using var story = new Story(gateway);
        var seen = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await story.Http.PostAsync("/v1/wallet/capture-challenges", null);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var issued = await response.Content.ReadFromJsonAsync<CaptureChallengeResponse>(ApiClientJson.Options);
            Assert.True(Base64Url.TryDecode(issued!.Challenge, out var bytes) && bytes.Length == CaptureStatement.ChallengeLength);
            Assert.True(issued.ExpiresAt > DateTimeOffset.UtcNow);
            Assert.True(seen.Add(issued.Challenge));
        }
    }

    private static string FlipBit(string base64Url, Random random)
    {
        Base64Url.TryDecode(base64Url, out var bytes);
        bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
        return Base64Url.Encode(bytes);
    }

    private static float[] Nudge(float[] template, Random random)
    {
        var copy = (float[])template.Clone();
        var i = random.Next(copy.Length);
        copy[i] = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(copy[i]) ^ 1); // the smallest change there is
        return copy;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
