using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CcmPlatform.Infrastructure.Security;
using Spectre.Console;

namespace CcmPlatform.Cli.Demo;

public sealed record DemoOptions(string Gateway, string KeyFile, string DataDirectory, string FixturePath, string Month, string OutDirectory)
{
    public static DemoOptions From(Options o) => new(
        o.Required("gateway"),
        o.Required("key-file"),
        o.Required("data"),
        o.Required("fixture"),
        o.Get("month") ?? "2025-03",
        o.Get("out") ?? "out");
}

/// <summary>
/// One CCM month through the gateway, as a practice would live it: practice and roster, FHIR import,
/// screening, coverage, consent, enrollment, initiating visit, care plan, minutes (manual and timer),
/// month close, claims. Then the outcome of every fixture patient is checked against the fixture.
/// </summary>
public static class DemoMonth
{
    public static async Task<int> RunAsync(DemoOptions options)
    {
        var fixture = DemoFixture.Load(options.FixturePath);
        if (!TryParseMonth(options.Month, out var year, out var month))
        {
            throw new CliException("--month must be YYYY-MM");
        }

        // The fixture's activity is dated in its own month; another month shifts every date by whole months.
        TryParseMonth(fixture.Month, out var fy, out var fm);
        var shiftMonths = ((year * 12) + month) - ((fy * 12) + fm);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(fixture.Practice.TimeZone);
        DateTime Utc(DateTime local) => TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local.AddMonths(shiftMonths), DateTimeKind.Unspecified), zone);

        using var http = new HttpClient { BaseAddress = new Uri(options.Gateway), Timeout = TimeSpan.FromSeconds(120) };
        var api = new GatewayClient(http, SigningKey.LoadOrCreate(options.KeyFile));
        var admin = new Actor(Guid.NewGuid(), Roles.Admin, "platform administrator");
        var run = new DemoRun(api, fixture, Utc, year, month, admin);

        AnsiConsole.MarkupLineInterpolated($"[bold]CCM demo month {options.Month}[/] — gateway {options.Gateway}");
        await AnsiConsole.Status().StartAsync("practice and roster", async ctx =>
        {
            await run.CreatePracticeAsync();
            ctx.Status("importing FHIR bundles");
            await run.ImportAsync(options.DataDirectory);
            ctx.Status("screening eligibility");
            await run.ScreenAsync();
            ctx.Status("enrolling, care plans, minutes");
            await run.CareTeamMonthAsync();
            ctx.Status("waiting for Billing's ledgers to catch up");
            await run.WaitForLedgersAsync();
            ctx.Status("closing the month");
            await run.CloseAsync(options.OutDirectory);
        });

        return run.Report(options.OutDirectory);
    }

    public static bool TryParseMonth(string text, out int year, out int month)
    {
        year = month = 0;
        if (!DateTime.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return false;
        }

        (year, month) = (d.Year, d.Month);
        return true;
    }
}

internal sealed class DemoRun(GatewayClient api, DemoFixture fixture, Func<DateTime, DateTime> utc, int year, int month, Actor admin)
{
    private readonly Dictionary<string, Actor> _staff = [];
    private readonly Dictionary<string, Guid> _patientsByFile = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<Guid, string> _names = [];
    private readonly Dictionary<Guid, int> _entriesPosted = [];
    private readonly HashSet<Guid> _enrolled = [];
    private readonly List<string> _mismatches = [];
    private Guid _practiceId;
    private int _screened;
    private int _eligible;
    private int _deceased;
    private JsonNode? _close;
    private JsonArray _claims = [];
    private JsonArray _outcomes = [];
    private JsonArray _ledgers = [];
    private bool _closeRepeatable;

    private string MonthText => $"{year:D4}-{month:D2}";

    private Actor Billing => _staff.Values.First(a => a.Role == Roles.Billing);

    private Actor Nurse => _staff.Values.First(a => a.Role == Roles.CareCoordinator);

    public async Task CreatePracticeAsync()
    {
        var practice = await api.PostAsync("/api/patients/practices", admin, new { name = fixture.Practice.Name, timeZone = fixture.Practice.TimeZone, waivesCoinsurance = false });
        _practiceId = practice.Id();
        api.PracticeId = _practiceId;
        foreach (var member in fixture.Roster)
        {
            var created = await api.PostAsync($"/api/patients/practices/{_practiceId}/roster", admin, new
            {
                displayName = member.DisplayName,
                kind = member.Kind,
                credential = member.Credential,
                npi = member.Npi,
                practitionerType = member.PractitionerType,
                activeFrom = "2020-01-01",
            });
            var role = member.Role ?? (member.Kind == "Practitioner" ? Roles.Practitioner : Roles.CareCoordinator);
            _staff[member.Key] = new Actor(created.Id(), role, member.DisplayName);
        }

        AnsiConsole.MarkupLineInterpolated($"  practice [green]{fixture.Practice.Name}[/] ({fixture.Practice.TimeZone}), roster of {_staff.Count}");
    }

    public async Task ImportAsync(string dataDirectory)
    {
        var files = Directory.GetFiles(dataDirectory, "*.json").OrderBy(f => f, StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new CliException($"no FHIR bundles (*.json) in {dataDirectory}");
        }

        foreach (var file in files)
        {
            var imported = await api.SendAsync(HttpMethod.Post, $"/api/patients/practices/{_practiceId}/import", Nurse, rawBody: await File.ReadAllTextAsync(file), contentType: "application/fhir+json");
            var patientId = imported.Id("patientId");
            _patientsByFile[Path.GetFileName(file)] = patientId;
            _names[patientId] = Path.GetFileNameWithoutExtension(file).Split('_').Take(2) is var parts ? string.Join(' ', parts) : file;
        }

        AnsiConsole.MarkupLineInterpolated($"  imported [green]{files.Count}[/] FHIR bundles");
    }

    public async Task ScreenAsync()
    {
        var list = (await api.GetAsync($"/api/patients/practices/{_practiceId}/eligibility?asOf={year:D4}-{month:D2}-01", Nurse)).Arr();
        _screened = list.Count;
        foreach (var p in list)
        {
            var deceased = p?["deceased"]?.GetValue<bool>() == true;
            _deceased += deceased ? 1 : 0;
            var suggestion = p.Str("suggestion");
            if (!deceased && suggestion is "Ccm" or "CCM" or "Pcm" or "PCM")
            {
                _eligible++;
            }
        }

        AnsiConsole.MarkupLineInterpolated($"  screened {_screened}: [green]{_eligible}[/] eligible, {_deceased} deceased");
    }

    public async Task CareTeamMonthAsync()
    {
        foreach (var patient in fixture.Patients)
        {
            if (!_patientsByFile.TryGetValue(patient.File, out var patientId))
            {
                throw new CliException($"fixture patient {patient.File} is not in the data set");
            }

            if (patient.ConsentAt is null)
            {
                continue;
            }

            var detail = await api.GetAsync($"/api/patients/patients/{patientId}", Nurse);
            var practitionerId = detail.Id("billingPractitionerId");
            var practitioner = _staff.Values.FirstOrDefault(a => a.Id == practitionerId) ?? throw new CliException($"billing practitioner {practitionerId} is not on the roster");
            var birth = DateOnly.Parse(detail.Str("birthDate")!, CultureInfo.InvariantCulture);
            var consentAt = utc(patient.ConsentAt.Value);
            var diagnoses = detail.Arr("conditions")
                .Where(c => c?["active"]?.GetValue<bool>() == true && c.Str("group") is { } g && g != "not-chronic" && c.Str("icd10") is not null)
                .Select(c => c.Str("icd10")!).Distinct().Take(2).ToList();

            if (patient.Coverage is { } coverage)
            {
                var turns65 = birth.AddYears(65);
                await api.PostAsync($"/api/patients/patients/{patientId}/coverage", Nurse, new
                {
                    payer = "Medicare Part B",
                    mbi = coverage.Mbi,
                    partBStart = new DateOnly(turns65.Year, turns65.Month, 1),
                    qmb = coverage.Qmb,
                    occurredAt = consentAt.AddDays(-1),
                });
            }

            await api.PostAsync($"/api/patients/patients/{patientId}/consents", Nurse, new
            {
                program = "Ccm",
                practitionerId,
                method = "Verbal",
                occurredAt = consentAt,
                informedCostSharing = true,
                informedRightToStop = true,
                informedSinglePractitioner = true,
                informedElectronicSharing = true,
                declined = false,
            });
            await api.PostAsync($"/api/patients/patients/{patientId}/enrollments", Nurse, new { program = "Ccm", occurredAt = consentAt, reason = "Two or more chronic conditions; consent documented" });
            _enrolled.Add(patientId);

            if (patient.InitiatingVisit is { } visit)
            {
                var start = utc(visit.StartAt);
                await api.PostAsync($"/api/patients/patients/{patientId}/visits", practitioner, new
                {
                    code = visit.Code,
                    practitionerId,
                    startedAt = start,
                    endedAt = start.AddMinutes(visit.Minutes),
                    initiating = true,
                    withG0506 = false,
                });
            }

            if (patient.CarePlan is { } plan)
            {
                await BuildCarePlanAsync(patientId, practitioner, plan);
            }

            foreach (var entry in patient.Entries ?? [])
            {
                await LogTimeAsync(patientId, entry, diagnoses);
            }

            AnsiConsole.MarkupLineInterpolated($"  {_names[patientId]}: enrolled, {patient.Entries?.Count ?? 0} time entries — {patient.Story}");
        }
    }

    private async Task BuildCarePlanAsync(Guid patientId, Actor practitioner, FixtureCarePlan plan)
    {
        var signedAt = utc(plan.SignedAt);
        var reviewDate = DateOnly.FromDateTime(signedAt).AddMonths(6);
        var created = await api.PostAsync("/api/careplans/plans", Nurse, new
        {
            patientId,
            expectedOutcome = "Stable chronic conditions managed at home, no avoidable admissions",
            prognosis = "Fair with adherence to the plan; conditions are lifelong",
            goals = new[]
            {
                new { description = "Blood pressure below target", target = "< 140/90 mmHg at monthly checks", targetDate = reviewDate },
                new { description = "Takes medications as prescribed", target = "No missed doses reported in monthly call", targetDate = reviewDate },
            },
            symptomManagement = "Daily symptom diary; call the care team for new shortness of breath, chest pain or confusion",
            interventions = new[]
            {
                new { description = "Monthly care-management call", responsibleRosterId = Nurse.Id },
                new { description = "Medication review each quarter", responsibleRosterId = practitioner.Id },
            },
            medicationManagement = "Reconcile the medication list at every contact; pill organiser set up with the caregiver",
            communityResources = "Area Agency on Aging meal delivery; senior center exercise class",
            coordination = "Share visit summaries with cardiology and the local pharmacy",
            reviewDate,
            // The fixture's month lies in the past: the plan is documented as drawn up when it was signed, so its
            // forward-looking dates are checked against that day, not the machine's today.
            occurredAt = signedAt,
        });
        var planId = created.Id();
        await api.PostAsync($"/api/careplans/plans/{planId}/sign", practitioner, new { occurredAt = signedAt });
        if (plan.SharedAt is { } sharedAt)
        {
            await api.PostAsync($"/api/careplans/plans/{planId}/share", Nurse, new { method = "Printed copy and patient portal", occurredAt = utc(sharedAt) });
        }
    }

    private async Task LogTimeAsync(Guid patientId, FixtureEntry entry, IReadOnlyList<string> diagnoses)
    {
        var staff = _staff.TryGetValue(entry.Staff, out var s) ? s : throw new CliException($"fixture staff {entry.Staff} is not on the roster");
        var start = utc(entry.StartAt);
        if (entry.Timer)
        {
            await api.PostAsync("/api/scheduling/timers/start", staff, new { patientId, program = "Ccm", activityType = entry.Activity, startedAt = start });
            await api.PostAsync("/api/scheduling/timers/stop", staff, new { stoppedAt = start.AddMinutes(entry.Minutes).AddSeconds(25), note = "Timed care-coordination session", conditionsAddressed = diagnoses });
        }
        else
        {
            await api.PostAsync("/api/scheduling/time-entries", staff, new
            {
                patientId,
                program = "Ccm",
                startedAt = start,
                minutes = entry.Minutes,
                activityType = entry.Activity,
                note = $"{entry.Activity} ({entry.Minutes} min)",
                conditionsAddressed = diagnoses,
            });
        }

        _entriesPosted[patientId] = _entriesPosted.GetValueOrDefault(patientId) + 1;
    }

    /// <summary>Billing learns everything from events; the close waits until its ledgers hold every fact the demo recorded.</summary>
    public async Task WaitForLedgersAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var ledgers = (await api.GetAsync($"/api/billing/practices/{_practiceId}/months/{MonthText}/ledgers", Billing)).Arr();
            var behind = _entriesPosted.Where(kv => ledgers.FirstOrDefault(l => l.Str("patientId") == kv.Key.ToString()) is not { } l
                                                     || l.Count("timeEntries") < kv.Value
                                                     || l["facts"].Count("consents") < 1
                                                     || l["facts"].Count("visits") < 1).ToList();
            if (behind.Count == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new CliException($"Billing's ledgers did not catch up within 90 s for {string.Join(", ", behind.Select(b => _names[b.Key]))}");
            }

            await Task.Delay(250);
        }
    }

    public async Task CloseAsync(string outDirectory)
    {
        var path = $"/api/billing/practices/{_practiceId}/months/{MonthText}";
        _close = await api.PostAsync($"{path}/close", Billing, new { });
        var again = await api.PostAsync($"{path}/close", Billing, new { });
        _claims = (await api.GetAsync($"{path}/claims", Billing)).Arr();
        _outcomes = (await api.GetAsync($"{path}/outcomes", Billing)).Arr();
        var csv = await api.GetTextAsync($"{path}/claims.csv", Billing);
        _ledgers = (await api.GetAsync($"{path}/ledgers", Billing)).Arr();
        var claimsAgain = (await api.GetAsync($"{path}/claims", Billing)).Arr();
        _closeRepeatable = ClaimIds(_claims).SequenceEqual(ClaimIds(claimsAgain)) && again.Int("claims") == _close.Int("claims");

        Directory.CreateDirectory(outDirectory);
        await File.WriteAllTextAsync(Path.Combine(outDirectory, "claims.csv"), csv);
        await File.WriteAllTextAsync(Path.Combine(outDirectory, "claims.json"), _claims.Pretty());
    }

    private static IEnumerable<string> ClaimIds(JsonArray claims) => claims.Select(c => c.Str("claimId") ?? c.Str("id") ?? "").Order(StringComparer.Ordinal);

    public int Report(string outDirectory)
    {
        foreach (var patient in fixture.Patients)
        {
            var patientId = _patientsByFile[patient.File];
            var outcome = _outcomes.FirstOrDefault(o => o.Str("patientId") == patientId.ToString());
            Check(patient, patientId, outcome);
        }

        var byCode = _claims.SelectMany(c => c.Arr("lines")).GroupBy(l => l.Str("code") ?? "?")
            .ToDictionary(g => g.Key, g => g.Sum(l => l.Int("units")));
        var holds = _outcomes.Where(o => Kind(o) == "Hold").SelectMany(o => Reasons(o)).GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());
        var notBillable = _outcomes.Where(o => Kind(o) == "NotBillable").SelectMany(o => Reasons(o).Take(1)).GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());
        var totalCents = _claims.Sum(c => c.Long("totalCents"));

        var table = new Table().AddColumns("Patient", "Outcome", "Detail");
        foreach (var o in _outcomes)
        {
            var id = Guid.TryParse(o.Str("patientId"), out var g) ? g : Guid.Empty;
            var detail = Kind(o) == "Claim"
                ? string.Join(" + ", ClaimOf(o)?.Arr("lines").Select(l => $"{l.Str("code")}×{l.Int("units")} ${l.Long("amountCents") / 100m:0.00}") ?? [])
                : string.Join("; ", Reasons(o).Concat([o.Str("text") ?? ""]).Where(s => s.Length > 0));
            table.AddRow(Markup.Escape(_names.GetValueOrDefault(id, id.ToString())), Kind(o), Markup.Escape(detail));
        }

        AnsiConsole.Write(table);
        var summary = new JsonObject
        {
            ["month"] = MonthText,
            ["practiceId"] = _practiceId.ToString(),
            ["screened"] = _screened,
            ["eligible"] = _eligible,
            ["deceased"] = _deceased,
            ["enrolled"] = _enrolled.Count,
            ["claims"] = _claims.Count,
            ["claimUnitsByCode"] = JsonSerializer.SerializeToNode(byCode),
            ["holdsByReason"] = JsonSerializer.SerializeToNode(holds),
            ["notBillableByReason"] = JsonSerializer.SerializeToNode(notBillable),
            ["totalDollars"] = totalCents / 100m,
            ["closeIsIdempotent"] = _closeRepeatable,
            ["matchesFixture"] = _mismatches.Count == 0,
            ["mismatches"] = JsonSerializer.SerializeToNode(_mismatches),
        };
        File.WriteAllText(Path.Combine(outDirectory, "summary.json"), summary.Pretty());

        AnsiConsole.MarkupLineInterpolated($"screened {_screened}, eligible {_eligible}, enrolled {_enrolled.Count}");
        AnsiConsole.MarkupLineInterpolated($"claims by code: {string.Join(", ", byCode.Select(kv => $"{kv.Key}×{kv.Value}"))}");
        AnsiConsole.MarkupLineInterpolated($"holds: {string.Join(", ", holds.Select(kv => $"{kv.Key} {kv.Value}"))}; not billable: {string.Join(", ", notBillable.Select(kv => $"{kv.Key} {kv.Value}"))}");
        AnsiConsole.MarkupLineInterpolated($"total ${totalCents / 100m:0.00}; re-running the close returned the same claims: {_closeRepeatable}");
        AnsiConsole.MarkupLineInterpolated($"wrote {Path.Combine(outDirectory, "claims.csv")}, claims.json, summary.json");
        if (_mismatches.Count > 0 || !_closeRepeatable)
        {
            foreach (var m in _mismatches)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]mismatch: {m}[/]");
            }

            return 1;
        }

        AnsiConsole.MarkupLine("[green]every patient's outcome matches the fixture[/]");
        return 0;
    }

    private void Check(FixturePatient patient, Guid patientId, JsonNode? outcome)
    {
        var name = _names[patientId];
        var expected = patient.Expected;
        if (expected.Outcome == "NotEnrolled")
        {
            if (outcome is not null)
            {
                _mismatches.Add($"{name}: expected no outcome (never enrolled), got {Kind(outcome)}");
            }

            return;
        }

        if (outcome is null)
        {
            _mismatches.Add($"{name}: no outcome at month close");
            return;
        }

        if (Kind(outcome) != expected.Outcome)
        {
            _mismatches.Add($"{name}: expected {expected.Outcome}, got {Kind(outcome)} ({string.Join(", ", Reasons(outcome))})");
            return;
        }

        switch (expected.Outcome)
        {
            case "Claim":
                var lines = ClaimOf(outcome)?.Arr("lines") ?? [];
                var actual = lines.Select(l => $"{l.Str("code")}×{l.Int("units")}={l.Long("amountCents")}").ToList();
                var wanted = expected.Lines!.Select(l => $"{l.Code}×{l.Units}={l.AmountCents}").ToList();
                if (!actual.SequenceEqual(wanted))
                {
                    _mismatches.Add($"{name}: expected lines {string.Join(", ", wanted)}, got {string.Join(", ", actual)}");
                }

                break;
            case "Hold":
                if (!expected.Reasons!.All(r => Reasons(outcome).Contains(r)))
                {
                    _mismatches.Add($"{name}: expected hold {string.Join(", ", expected.Reasons!)}, got {string.Join(", ", Reasons(outcome))}");
                }

                break;
            case "NotBillable":
                if (Reasons(outcome).FirstOrDefault() != expected.Reason)
                {
                    _mismatches.Add($"{name}: expected not billable {expected.Reason}, got {string.Join(", ", Reasons(outcome))}");
                }

                var ledger = _ledgers.FirstOrDefault(l => l.Str("patientId") == patientId.ToString());
                if (expected.CountableMinutes is { } minutes && ledger.Int("countableMinutes") != minutes)
                {
                    _mismatches.Add($"{name}: expected {minutes} countable minutes, got {ledger.Int("countableMinutes")}");
                }

                break;
        }
    }

    private JsonNode? ClaimOf(JsonNode? outcome)
        => outcome.Str("claimId") is { } id ? _claims.FirstOrDefault(c => c.Str("claimId") == id) : null;

    private static string Kind(JsonNode? outcome) => outcome.Str("outcome") ?? outcome.Str("kind") ?? "?";

    private static IEnumerable<string> Reasons(JsonNode? outcome) => outcome.Arr("reasons").Select(r => r is JsonValue ? r.GetValue<string>() : r.Str("code") ?? "?");
}
