using System.Net;
using System.Net.Sockets;
using System.Xml.Linq;
using CcmPlatform.Cli.Demo;
using CcmPlatform.Infrastructure.Security;
using Spectre.Console;

namespace CcmPlatform.Cli;

/// <summary>The .NET side of ./ccm: tokens, the demo month, and small helpers the script needs.</summary>
public static class CliCommands
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            AnsiConsole.MarkupLine("usage: ccm-cli token|demo|free-port|trx-summary …");
            return 2;
        }

        var options = Options.Parse(args.Skip(1));
        try
        {
            return args[0] switch
            {
                "token" => Token(options),
                "free-port" => FreePort(),
                "trx-summary" => TrxSummary(args.Length > 1 ? args[1] : "."),
                "demo" => await DemoMonth.RunAsync(DemoOptions.From(options)),
                _ => Unknown(args[0]),
            };
        }
        catch (CliException ex)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]ccm: {ex.Message}[/]");
            return 1;
        }
    }

    private static int Unknown(string command)
    {
        AnsiConsole.MarkupLineInterpolated($"[red]unknown command {command}[/]");
        return 2;
    }

    /// <summary>Prints a development token whose subject is a roster member (or a new admin id when bootstrapping).</summary>
    private static int Token(Options options)
    {
        var role = options.Required("role");
        if (!Roles.All.Contains(role))
        {
            throw new CliException($"--role must be one of {string.Join(", ", Roles.All)}");
        }

        var subject = options.Get("as") is { } s
            ? Guid.TryParse(s, out var id) ? id : throw new CliException("--as must be a roster id (a GUID)")
            : throw new CliException("--as <rosterId> is required: the token's subject is the roster member acting");
        Guid? practice = options.Get("practice") is { } p ? Guid.TryParse(p, out var pid) ? pid : throw new CliException("--practice must be a GUID") : null;
        var key = SigningKey.LoadOrCreate(options.Required("key-file"));
        Console.WriteLine(DevelopmentTokens.Create(key, subject, role, practice));
        return 0;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Console.WriteLine(((IPEndPoint)listener.LocalEndpoint).Port);
        return 0;
    }

    /// <summary>
    /// Totals every TRX file into the closing line CI reads: "N passed, N failed, N skipped", after
    /// listing each skipped test with its reason and each failed test by name.
    /// </summary>
    private static int TrxSummary(string directory)
    {
        int passed = 0, failed = 0, skipped = 0;
        var notes = new List<string>();
        XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
        var files = Directory.Exists(directory) ? Directory.GetFiles(directory, "*.trx", SearchOption.AllDirectories) : [];
        foreach (var file in files)
        {
            foreach (var result in XDocument.Load(file).Descendants(ns + "UnitTestResult"))
            {
                var name = (string?)result.Attribute("testName");
                var message = result.Descendants(ns + "Message").FirstOrDefault()?.Value.Trim();
                switch ((string?)result.Attribute("outcome"))
                {
                    case "Passed": passed++; break;
                    case "NotExecuted": skipped++; notes.Add($"skipped: {name} — {message ?? "no reason given"}"); break;
                    default: failed++; notes.Add($"failed: {name}"); break;
                }
            }
        }

        notes.Sort(StringComparer.Ordinal);
        notes.ForEach(Console.WriteLine);
        Console.WriteLine($"{passed} passed, {failed} failed, {skipped} skipped");
        return failed == 0 && passed > 0 ? 0 : 1;
    }
}

public sealed class CliException(string message) : Exception(message);

public static class SigningKey
{
    /// <summary>The per-installation development key: created on first use, never committed (.ccm is ignored).</summary>
    public static string LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var key = DevelopmentTokens.NewKey();
        File.WriteAllText(path, key);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return key;
    }
}

public sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public static Options Parse(IEnumerable<string> args)
    {
        var options = new Options();
        string? pending = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (pending is not null)
                {
                    options._values[pending] = "true";
                }

                pending = arg[2..];
            }
            else if (pending is not null)
            {
                options._values[pending] = arg;
                pending = null;
            }
        }

        if (pending is not null)
        {
            options._values[pending] = "true";
        }

        return options;
    }

    public string? Get(string name) => _values.TryGetValue(name, out var v) ? v : null;

    public string Required(string name) => Get(name) ?? throw new CliException($"--{name} is required");
}
