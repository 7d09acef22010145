using System.CommandLine;
using System.Text.Json;
using NationalId.Client.Faces;

namespace NationalId.Client.Commands;

/// <summary><c>nid face</c>: demo templates (the service runs no face model; a person is a vector).</summary>
public static class FaceCommands
{
    public static Command Create()
    {
        var faceCommand = new Command("face", "Write a demo face capture: a person's vector plus a little noise");
        var faceSeed = new Option<int>("--person") { Description = "Which demo person (any integer)", Required = true };
        var faceOut = new Option<string>("--out") { Description = "Output file", Required = true };
        var liveness = new Option<double>("--liveness") { DefaultValueFactory = _ => 0.98 };
        faceCommand.Add(faceSeed);
        faceCommand.Add(faceOut);
        faceCommand.Add(liveness);
        faceCommand.SetAction(r =>
        {
            var person = FaceVectors.Person(r.GetValue(faceSeed));
            var capture = FaceVectors.Capture(person, Environment.TickCount);
            File.WriteAllText(r.GetValue(faceOut)!, JsonSerializer.Serialize(FaceVectors.Live(capture, r.GetValue(liveness)), ApiClientJson.Options));
            Console.WriteLine($"wrote {r.GetValue(faceOut)}");
        });
        return faceCommand;
    }
}
