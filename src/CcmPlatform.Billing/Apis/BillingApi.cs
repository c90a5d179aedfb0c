using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CcmPlatform.Billing.Closing;
using CcmPlatform.Billing.Data;
using CcmPlatform.Billing.Rules;
using CcmPlatform.Infrastructure.Hosting;
using CcmPlatform.Infrastructure.Http;
using CcmPlatform.Infrastructure.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Billing.Apis;

public sealed record BilledElsewhereRequest(string? Code, string? PractitionerNpi, DateOnly? DateOfService);

public sealed record BilledElsewhereView(Guid Id, Guid PatientId, string Code, string PractitionerNpi, DateOnly DateOfService, DateTime RecordedAt);

public sealed record MueRequest(Dictionary<string, int?>? Caps);

public sealed record MueView(string Payer, IReadOnlyDictionary<string, int?> Caps);

public sealed record FeeCodeView(string Code, decimal TotalRvu, long UnitPriceCents);

public sealed record FeeScheduleView(int Year, decimal ConversionFactor, decimal? QpConversionFactor, DateTime LoadedAt, IReadOnlyList<FeeCodeView> Codes);

public sealed record ClaimLineView(string Code, int Units, long UnitPriceCents, long AmountCents);

public sealed record ClaimView(
    Guid ClaimId, Guid PatientId, string PatientName, string Mbi, string PractitionerNpi, DateOnly DateOfService, string Program, string Track,
    IReadOnlyList<ClaimLineView> Lines, IReadOnlyList<string> Diagnoses, long TotalCents, long CoinsuranceCents,
    string Explanation, IReadOnlyList<string> RuleIds, Guid? ReplacesClaimId, DateTime CreatedAt)
{
    public static ClaimView From(ClaimRecord c) => new(
        c.ClaimId, c.PatientId, c.PatientName, c.Mbi, c.BillingNpi, c.DateOfService, c.Program, c.Track,
        c.Lines.OrderBy(l => l.Seq).Select(l => new ClaimLineView(l.Code, l.Units, l.UnitPriceCents, l.AmountCents)).ToList(),
        c.Diagnoses.Split(';', StringSplitOptions.RemoveEmptyEntries), c.TotalCents, c.CoinsuranceCents,
        ExplanationJson.Text(c.ExplanationText, c.ExplanationJson), c.RuleIds.Split(';', StringSplitOptions.RemoveEmptyEntries), c.ReplacesClaimId, c.CreatedAt);
}

public sealed record LedgerEntryView(Guid EntryId, Guid StaffId, string StaffKind, string Program, DateTime StartedAt, int Minutes, string ActivityType,
    DateTime RecordedAt, bool Voided, IReadOnlyList<NotCountedView> NotCountable);

public sealed record NotCountedView(int Minutes, string Reason);

public sealed record LedgerFactsView(object Consents, object CarePlanVersions, object Shares, object Visits, object Coverages);

public sealed record LedgerView(Guid PatientId, int CountableMinutes, int NotCountableMinutes, IReadOnlyList<LedgerEntryView> TimeEntries,
    LedgerFactsView Facts, int? MinutesToNextPaymentStep, long BestPaymentCents, bool NeedsReclose);

public static partial class BillingApi
{
    public static IEndpointRouteBuilder MapBillingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/billing").WithTags("Billing").RequirePracticeScope<BillingPracticeDirectory>();
        api.RequireRequestLimits();
        var months = api.MapGroup("/practices/{practiceId:guid}/months/{month}")
            .ProducesProblemWhen(StatusCodes.Status400BadRequest, "month is not a calendar month in yyyy-MM form (R-TIME-1).");
        months.MapGet("/ledgers", GetLedgers).RequireAuthorization(Policies.Read)
            .WithSummary("Minute ledgers of a practice-month (month is yyyy-MM), one per patient in scope.")
            .WithDescription("Countable and not-countable minutes with the reason each was not counted, the consents, plans, visits and coverage behind them, and the minutes still needed for the next payment step.");
        months.MapPost("/close", Close).RequireAuthorization(Policies.Billing)
            .WithSummary("Close a practice-month: evaluate every patient-month and create its claims.")
            .WithDescription("Billing staff only, after the month has ended in the practice's time zone; the result lists each patient-month's outcome.")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "Billing has not received the practice (no PracticeCreated yet).")
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "Another close of the same practice-month is running (R-CLOSE-2).")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "The month has not ended in the practice's time zone (R-CLOSE-1); release a claim early instead.");
        months.MapGet("/claims", GetClaims).RequireAuthorization(Policies.Read)
            .WithSummary("Live (not voided) claims of a practice-month, with lines, diagnoses and the rules applied.");
        months.MapGet("/claims.csv", GetClaimsCsv).RequireAuthorization(Policies.Read)
            .WithSummary("Live claims of a practice-month as CSV, one row per claim line.");
        months.MapGet("/claims.fhir", ClaimExportApi.GetClaimsFhir).RequireAuthorization(Policies.Read)
            .WithSummary("Live claims of a practice-month as a FHIR R4 collection Bundle of Claim resources.");
        months.MapGet("/outcomes", GetOutcomes).RequireAuthorization(Policies.Read)
            .WithSummary("What the last close decided for each patient-month: a claim, or why not, with rule ids.");
        api.MapPost("/patients/{patientId:guid}/services-billed-elsewhere", RecordBilledElsewhere).RequireAuthorization(Policies.Billing)
            .WithSummary("Record a service another practitioner billed for the patient (TCM, ESRD, PCM, RPM, BHI…).")
            .WithDescription("Used by the month close to apply the exclusions R-EXCL-1..6. Recording the same code, NPI and date again returns the existing record (200).")
            .ProducesProblemWhen(StatusCodes.Status400BadRequest, "The body is missing, code is not a service that conflicts with or sits beside CCM (R-EXCL-3), practitionerNpi fails the NPI check digit (R-ELIG-4), or dateOfService is missing.")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "dateOfService is in the future (R-FACT-1), or before 2015-01-01 (DATE_OUT_OF_RANGE).");
        api.MapGet("/patients/{patientId:guid}/services-billed-elsewhere", ListBilledElsewhere).RequireAuthorization(Policies.Read)
            .WithSummary("Services billed elsewhere for the patient, by date of service.");
        api.MapGet("/patients/{patientId:guid}/services-billed-elsewhere/{billedElsewhereId:guid}", GetBilledElsewhere).RequireAuthorization(Policies.Read)
            .WithSummary("One service billed elsewhere: the Location a recorded one answers with.")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "The record does not exist, is another patient's, or belongs to another practice.");
        api.MapPost("/patients/{patientId:guid}/months/{month}/release", EarlyReleaseApi.Release).RequireAuthorization(Policies.Billing)
            .WithSummary("Release a patient-month's claim before month end, once its threshold is met (R-CLOSE-3).")
            .ProducesProblemWhen(StatusCodes.Status400BadRequest, "month is not a calendar month in yyyy-MM form (R-TIME-1).")
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "The month close already created a live claim for this patient-month (R-EXCL-2).")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "The patient-month does not yet qualify for a claim; detail says why (R-CLOSE-3).");
        api.MapGet("/patients/{patientId:guid}/months/{month}/release", EarlyReleaseApi.Get).RequireAuthorization(Policies.Read)
            .WithSummary("The patient-month's early release while its claim is live: the Location a release answers with.")
            .ProducesProblemWhen(StatusCodes.Status400BadRequest, "month is not a calendar month in yyyy-MM form (R-TIME-1).")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "The patient is not known to Billing or belongs to another practice, or the month has no live early-released claim (never released, or replaced at month close).");
        api.MapGet("/fee-schedules", GetFeeSchedules).RequireAuthorization(Policies.Read)
            .WithSummary("Loaded Physician Fee Schedules by year, with each code's total RVU and price.");
        api.MapPut("/fee-schedules/{year:int}", PutFeeSchedule).RequireAuthorization(Policies.Admin)
            .WithSummary("Load or replace a year's fee schedule from a CMS PFS CSV (admin only).")
            .WithDescription("Columns hcpcs, nonfac_total_rvu and conv_factor are required; qp_conv_factor (or the qpConversionFactor query) sets the Qualifying APM Participant factor.")
            .DocumentsRequestBody("text/csv", "CMS Physician Fee Schedule rows; at most 190,000 characters.")
            .ProducesProblemWhen(StatusCodes.Status400BadRequest, "year is outside 2000..2100, or the CSV is too large, lacks a required column, or has a malformed row: a value that is not a number, a negative RVU, a zero RVU for a code the platform bills, or a conversion factor that is not greater than zero (R-FEE-1).");
        api.MapGet("/mue", GetMue).RequireAuthorization(Policies.Read)
            .WithSummary("Medically Unlikely Edit unit caps per payer (null means no cap).");
        api.MapPut("/mue/{payer}", PutMue).RequireAuthorization(Policies.Admin)
            .WithSummary("Set a payer's MUE unit caps per code; null removes the cap (admin only).")
            .ProducesProblemWhen(StatusCodes.Status400BadRequest, "payer is empty or longer than 100 characters, caps is missing or empty, a code is not one the platform bills, or a cap is negative (R-CODE-6).");
        return app;
    }

    [GeneratedRegex(@"^(\d{4})-(\d{2})$")]
    private static partial Regex MonthPattern();

    internal static bool TryMonth(string month, out ServiceMonth result)
    {
        result = default;
        var m = MonthPattern().Match(month);
        if (!m.Success) return false;
        var y = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var mo = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        if (y < 2000 || y > 2100 || mo < 1 || mo > 12) return false;
        result = new ServiceMonth(y, mo);
        return true;
    }

    private static ProblemHttpResult BadMonth(string month) =>
        ApiProblems.BadRequest("month", "R-TIME-1", $"'{month}' is not a calendar month; use yyyy-MM (e.g. 2025-03).");

    private static async Task<Results<Ok<CloseResult>, ProblemHttpResult>> Close(Guid practiceId, string month, MonthCloser closer, BillingDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (!TryMonth(month, out var m)) return BadMonth(month);
        var practice = await db.Practices.AsNoTracking().FirstOrDefaultAsync(p => p.PracticeId == practiceId, ct);
        if (practice is null)
            return ApiProblems.NotFound("practiceId", $"Practice {practiceId} is not known to Billing (no PracticeCreated received).");

        // A month-end close needs the whole month; a claim before then is an explicit early release (R-CLOSE-3).
        var monthEnd = m.EndUtc(Zones.Find(practice.TimeZone));
        if (clock.GetUtcNow().UtcDateTime < monthEnd)
            return ApiProblems.Unprocessable("month", "R-CLOSE-1", $"{month} has not ended in {practice.TimeZone}; close it after {monthEnd:u}, or release a claim early (R-CLOSE-3).");
        try
        {
            return TypedResults.Ok(await closer.CloseAsync(practiceId, m, ct));
        }
        catch (CloseBusyException ex)
        {
            return ApiProblems.Conflict("month", "R-CLOSE-2", ex.Message);
        }
    }

    private static async Task<Results<Ok<List<OutcomeView>>, ProblemHttpResult>> GetOutcomes(Guid practiceId, string month, BillingDbContext db, CancellationToken ct)
    {
        if (!TryMonth(month, out var m)) return BadMonth(month);
        return TypedResults.Ok(await MonthCloser.OutcomesAsync(db, practiceId, m, ct));
    }

    private static async Task<List<ClaimView>> LiveClaimsAsync(BillingDbContext db, Guid practiceId, ServiceMonth m, CancellationToken ct)
    {
        var claims = await db.Claims.AsNoTracking().Include(c => c.Lines)
            .Where(c => c.PracticeId == practiceId && c.Year == m.Year && c.Month == m.Month && c.VoidedAt == null)
            .ToListAsync(ct);
        return claims.OrderBy(c => c.PatientName).ThenBy(c => c.PatientId).Select(ClaimView.From).ToList();
    }

    private static async Task<Results<Ok<List<ClaimView>>, ProblemHttpResult>> GetClaims(Guid practiceId, string month, BillingDbContext db, CancellationToken ct)
    {
        if (!TryMonth(month, out var m)) return BadMonth(month);
        return TypedResults.Ok(await LiveClaimsAsync(db, practiceId, m, ct));
    }

    public const string CsvHeader = "claim_id,patient_id,patient_name,mbi,billing_npi,date_of_service,code,units,unit_price,amount,diagnoses";

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetClaimsCsv(Guid practiceId, string month, BillingDbContext db, CancellationToken ct)
    {
        if (!TryMonth(month, out var m)) return BadMonth(month);
        var sb = new StringBuilder().Append(CsvHeader).Append('\n');
        foreach (var c in await LiveClaimsAsync(db, practiceId, m, ct))
        {
            foreach (var l in c.Lines)
            {
                sb.AppendJoin(',', c.ClaimId, c.PatientId, Csv(c.PatientName), Csv(c.Mbi), Csv(c.PractitionerNpi), c.DateOfService.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    Csv(l.Code), l.Units, Dollars(l.UnitPriceCents), Dollars(l.AmountCents), Csv(string.Join(';', c.Diagnoses))).Append('\n');
            }
        }
        return TypedResults.File(Encoding.UTF8.GetBytes(sb.ToString()), "text/csv", $"claims-{practiceId:N}-{m}.csv");
    }

    private static string Dollars(long cents) => (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    private static async Task<Results<Ok<List<LedgerView>>, ProblemHttpResult>> GetLedgers(Guid practiceId, string month, BillingDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (!TryMonth(month, out var m)) return BadMonth(month);
        var now = clock.GetUtcNow().UtcDateTime;
        var tz = await PatientMonthMarks.TimeZoneOfAsync(db, practiceId, ct);
        var fees = await FeeScheduleStore.LoadAsync(db, now, ct);
        var caps = await db.MueCaps.AsNoTracking().ToListAsync(ct);
        var reclose = await db.PatientMonths.AsNoTracking()
            .Where(x => x.PracticeId == practiceId && x.Year == m.Year && x.Month == m.Month && x.NeedsReclose).Select(x => x.PatientId).ToListAsync(ct);
        var result = new List<LedgerView>();
        foreach (var patientId in (await MonthCloser.PatientsInMonthAsync(db, practiceId, m, tz, ct)).Order())
        {
            var file = await FactsLoader.LoadAsync(db, patientId, ct);
            var payer = file.CoverageOn(m.LastDay)?.Payer ?? FeeScheduleStore.DefaultPayer;
            var facts = FactsLoader.ToFacts(file, m, fees, FeeScheduleStore.Mue(caps, payer));
            if (!MonthCloser.InScope(file, facts)) continue;
            var view = Ledger.Summarize(facts);
            var notCounted = view.NotCounted.ToLookup(n => n.EntryId);
            var entries = file.Entries.Where(e => FactsLoader.MonthsOf(e.StartedAt, e.Minutes, file.TimeZone).Contains(m)).OrderBy(e => e.StartedAt)
                .Select(e => new LedgerEntryView(e.EntryId, e.StaffId, e.StaffKind, e.Program, e.StartedAt, e.Minutes, e.ActivityType, e.RecordedAt, e.VoidedAt is not null,
                    notCounted[e.EntryId.ToString()].Select(n => new NotCountedView(n.Minutes, n.Reason.ToString())).ToList())).ToList();
            var revoked = file.Revocations.ToDictionary(r => r.ConsentId, r => (DateTime?)r.OccurredAt);
            var factsView = new LedgerFactsView(
                file.Consents.OrderBy(c => c.OccurredAt).Select(c => new { c.ConsentId, c.Program, c.PractitionerId, c.Method, c.Declined, c.OccurredAt, c.RecordedAt, RevokedAt = revoked.GetValueOrDefault(c.ConsentId) }).ToList(),
                file.PlanVersions.OrderBy(v => v.SignedAt).Select(v => new { v.CarePlanId, v.Version, v.SignedBy, v.SignedAt, v.FirstActivation, v.RecordedAt }).ToList(),
                file.Shares.OrderBy(s => s.SharedAt).Select(s => new { s.CarePlanId, s.Version, s.Method, s.SharedAt, s.RecordedAt }).ToList(),
                file.Visits.OrderBy(v => v.StartedAt).Select(v => new { v.VisitId, v.Code, v.Practitioner, v.Initiating, v.WithG0506, v.StartedAt, v.EndedAt, v.RecordedAt }).ToList(),
                file.Coverages.OrderBy(c => c.OccurredAt).Select(c => new { c.CoverageId, c.Payer, c.Mbi, c.PartBStart, c.PartBEnd, c.Qmb, c.OccurredAt, c.RecordedAt }).ToList());
            result.Add(new LedgerView(patientId, view.ClinicalStaffMinutes + view.PractitionerMinutes, LedgerProjector.NotCountable(view), entries, factsView,
                view.FurtherStaffMinutesToRaisePayment, view.BestPaymentCents, reclose.Contains(patientId)));
        }
        return TypedResults.Ok(result);
    }

    // Codes that can conflict with (or sit beside) CCM in a patient-month (R-EXCL-1..6).
    internal static bool IsBilledElsewhereCode(string code) =>
        Codes.IsCcm(code) || Codes.IsPcm(code) || Codes.IsApcm(code) || Codes.IsTcm(code) || Codes.IsHospiceOrHomeHealthOversight(code)
        || Codes.IsEsrd(code) || Codes.IsRpm(code) || Codes.IsBhi(code);

    internal static bool IsValidNpi(string npi)
    {
        if (npi.Length != 10 || !npi.All(char.IsAsciiDigit)) return false;
        // Luhn over "80840" + the first nine digits (CMS NPI check digit).
        var digits = "80840" + npi[..9];
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 0) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
        }
        return (10 - sum % 10) % 10 == npi[9] - '0';
    }

    private static async Task<Results<Created<BilledElsewhereView>, Ok<BilledElsewhereView>, ProblemHttpResult>> RecordBilledElsewhere(
        Guid patientId, [FromBody] BilledElsewhereRequest? body, BillingDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (body is null) return ApiProblems.BadRequest("body", "R-EXCL-1", "A JSON body {code, practitionerNpi, dateOfService} is required.");
        var code = body.Code?.Trim().ToUpperInvariant() ?? "";
        if (!IsBilledElsewhereCode(code))
            return ApiProblems.BadRequest("code", "R-EXCL-3", $"'{body.Code}' is not a service that conflicts with or sits beside CCM (TCM, G0181/G0182, ESRD 90951–90970, PCM, APCM, RPM, BHI, CCM).");
        var npi = body.PractitionerNpi?.Trim() ?? "";
        if (!IsValidNpi(npi))
            return ApiProblems.BadRequest("practitionerNpi", "R-ELIG-4", "practitionerNpi must be a 10-digit NPI with a valid check digit.");
        if (body.DateOfService is not { } dos)
            return ApiProblems.BadRequest("dateOfService", "R-FACT-1", "dateOfService (yyyy-MM-dd) is required.");
        var now = clock.GetUtcNow().UtcDateTime;
        if (dos > DateOnly.FromDateTime(now).AddDays(1))
            return ApiProblems.Unprocessable("dateOfService", "R-FACT-1", "dateOfService is in the future.");
        // A service before the CCM codes began conflicts with no CCM month: such a date is a mistyped year, and storing it would
        // silently drop the hold the real month needs (R-EXCL-1/3/4).
        PlausibleDates.NotBeforeCcm(dos, "dateOfService");
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.PatientId == patientId, ct);
        if (patient is null) return ApiProblems.NotFound("patientId", $"Patient {patientId} is not known to Billing.");

        var existing = await db.BilledElsewhere.AsNoTracking().FirstOrDefaultAsync(b => b.PatientId == patientId && b.Code == code && b.PractitionerNpi == npi && b.DateOfService == dos, ct);
        if (existing is not null) return TypedResults.Ok(View(existing));
        var record = new BilledElsewhereRecord { Id = Guid.NewGuid(), PatientId = patientId, Code = code, PractitionerNpi = npi, DateOfService = dos, RecordedBy = http.User.RosterId(), RecordedAt = now };
        db.BilledElsewhere.Add(record);
        await PatientMonthMarks.MonthsAsync(db, patient.PracticeId, patientId, [ServiceMonth.Of(dos)], now, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            var winner = await db.BilledElsewhere.AsNoTracking().FirstOrDefaultAsync(b => b.PatientId == patientId && b.Code == code && b.PractitionerNpi == npi && b.DateOfService == dos, ct);
            if (winner is null) throw;
            return TypedResults.Ok(View(winner));
        }
        return TypedResults.Created($"/api/billing/patients/{patientId}/services-billed-elsewhere/{record.Id}", View(record));
    }

    private static BilledElsewhereView View(BilledElsewhereRecord r) => new(r.Id, r.PatientId, r.Code, r.PractitionerNpi, r.DateOfService, r.RecordedAt);

    private static async Task<Results<Ok<BilledElsewhereView>, ProblemHttpResult>> GetBilledElsewhere(Guid patientId, Guid billedElsewhereId, BillingDbContext db, CancellationToken ct)
    {
        var record = await db.BilledElsewhere.AsNoTracking().FirstOrDefaultAsync(b => b.Id == billedElsewhereId && b.PatientId == patientId, ct);
        return record is null
            ? ApiProblems.NotFound("billedElsewhereId", $"No service billed elsewhere {billedElsewhereId} for this patient.")
            : TypedResults.Ok(View(record));
    }

    private static async Task<Ok<List<BilledElsewhereView>>> ListBilledElsewhere(Guid patientId, BillingDbContext db, CancellationToken ct) =>
        TypedResults.Ok((await db.BilledElsewhere.AsNoTracking().Where(b => b.PatientId == patientId).ToListAsync(ct)).OrderBy(b => b.DateOfService).Select(View).ToList());

    private static async Task<Ok<List<FeeScheduleView>>> GetFeeSchedules(BillingDbContext db, TimeProvider clock, CancellationToken ct)
    {
        await FeeScheduleStore.EnsureDefaultsAsync(db, clock.GetUtcNow().UtcDateTime, ct);
        var rows = await db.FeeSchedules.AsNoTracking().ToListAsync(ct);
        return TypedResults.Ok(rows.OrderBy(r => r.Year).Select(r => (Row: r, Schedule: FeeScheduleStore.Parsed(r))).Where(x => x.Schedule is not null).Select(x =>
        {
            var fs = x.Schedule!;
            return new FeeScheduleView(x.Row.Year, fs.ConversionFactor, fs.QpConversionFactor, x.Row.LoadedAt,
                fs.TotalRvus.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new FeeCodeView(kv.Key, kv.Value, fs.PriceCents(kv.Key, false) ?? 0)).ToList());
        }).ToList());
    }

    private static async Task<Results<Ok<FeeScheduleView>, ProblemHttpResult>> PutFeeSchedule(int year, HttpRequest request, BillingDbContext db, TimeProvider clock, decimal? qpConversionFactor, CancellationToken ct)
    {
        if (year < 2000 || year > 2100) return ApiProblems.BadRequest("year", "R-FEE-1", "year must be between 2000 and 2100.");
        if (qpConversionFactor is <= 0) return ApiProblems.BadRequest("qpConversionFactor", "R-FEE-1", "qpConversionFactor must be greater than zero.");
        string csv;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
            csv = await reader.ReadToEndAsync(ct);
        if (csv.Length > 190_000) return ApiProblems.BadRequest("body", "R-FEE-1", "The fee schedule CSV is too large.");
        FeeSchedule fs;
        try
        {
            fs = FeeSchedule.Parse(csv, year, qpConversionFactor);
        }
        catch (FormatException ex)
        {
            return ApiProblems.BadRequest("body", "R-FEE-1", ex.Message);
        }
        catch (ArgumentException ex)
        {
            return ApiProblems.BadRequest("body", "R-FEE-1", ex.Message);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var row = await db.FeeSchedules.FindAsync([year], ct);
        if (row is null) db.FeeSchedules.Add(row = new FeeScheduleRecord { Year = year });
        row.Csv = csv;
        row.ConversionFactor = fs.ConversionFactor;
        row.QpConversionFactor = fs.QpConversionFactor;
        row.LoadedAt = now;
        await db.SaveChangesAsync(ct);
        // Every ledger of that year was priced with the old schedule (or none: FEE_SCHEDULE_MISSING on the worklist);
        // marked after the save, so the projector that picks them up reads the new one. Closed months are left to
        // billing staff to re-close: a replaced schedule does not void claims on its own.
        await PatientMonthMarks.RepriceAsync(db.PatientMonths.Where(m => m.Year == year), now, ct);
        return TypedResults.Ok(new FeeScheduleView(year, fs.ConversionFactor, fs.QpConversionFactor, now,
            fs.TotalRvus.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new FeeCodeView(kv.Key, kv.Value, fs.PriceCents(kv.Key, false) ?? 0)).ToList()));
    }

    private static async Task<Ok<List<MueView>>> GetMue(BillingDbContext db, CancellationToken ct)
    {
        var stored = await db.MueCaps.AsNoTracking().ToListAsync(ct);
        var payers = stored.Select(s => s.Payer).Append(FeeScheduleStore.DefaultPayer).Distinct(StringComparer.OrdinalIgnoreCase).Order();
        return TypedResults.Ok(payers.Select(p => new MueView(p, FeeScheduleStore.Caps(stored, p))).ToList());
    }

    private static async Task<Results<Ok<MueView>, ProblemHttpResult>> PutMue(string payer, [FromBody] MueRequest? body, BillingDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(payer) || payer.Length > 100) return ApiProblems.BadRequest("payer", "R-CODE-6", "payer is required (at most 100 characters).");
        if (body?.Caps is not { Count: > 0 } caps) return ApiProblems.BadRequest("caps", "R-CODE-6", "caps {code: units or null for no cap} is required.");
        foreach (var (code, cap) in caps)
        {
            if (string.IsNullOrWhiteSpace(code) || code.Length > 10) return ApiProblems.BadRequest("caps", "R-CODE-6", $"'{code}' is not a code.");
            if (!Codes.IsBilled(code.ToUpperInvariant()))
                return ApiProblems.BadRequest($"caps.{code}", "R-CODE-6", $"'{code}' is not a code the platform bills; caps apply to {string.Join(", ", Codes.Billed)}.");
            if (cap is < 0) return ApiProblems.BadRequest($"caps.{code}", "R-CODE-6", "A cap is a whole number of units ≥ 0, or null for no cap.");
        }
        foreach (var (code, cap) in caps)
        {
            var row = await db.MueCaps.FindAsync([payer, code.ToUpperInvariant()], ct);
            if (row is null) db.MueCaps.Add(row = new MueCapRecord { Payer = payer, Code = code.ToUpperInvariant() });
            row.Cap = cap;
        }
        await db.SaveChangesAsync(ct);
        // A cap changes what the next minutes are worth on the worklist. Which payer a patient-month bills is decided from
        // its coverage when it is projected, not stored on the row, so every ledger is recomputed; caps change rarely.
        await PatientMonthMarks.RepriceAsync(db.PatientMonths, clock.GetUtcNow().UtcDateTime, ct);
        return TypedResults.Ok(new MueView(payer, FeeScheduleStore.Caps(await db.MueCaps.AsNoTracking().ToListAsync(ct), payer)));
    }
}
