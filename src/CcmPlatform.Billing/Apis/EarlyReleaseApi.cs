using CcmPlatform.Billing.Closing;
using CcmPlatform.Billing.Data;
using CcmPlatform.Billing.Rules;
using CcmPlatform.Contracts;
using CcmPlatform.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Billing.Apis;

public sealed record EarlyReleaseView(DateOnly ReleaseDate, ClaimView Claim);

/// <summary>R-CLOSE-3: billing staff release a patient-month's claim as soon as its threshold is met.</summary>
public static class EarlyReleaseApi
{
    internal static async Task<Results<Created<EarlyReleaseView>, Ok<EarlyReleaseView>, ProblemHttpResult>> Release(
        Guid patientId, string month, BillingDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (!BillingApi.TryMonth(month, out var m))
            return ApiProblems.BadRequest("month", "R-TIME-1", $"'{month}' is not a calendar month; use yyyy-MM (e.g. 2025-03).");
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.PatientId == patientId, ct);
        if (patient is null) return ApiProblems.NotFound("patientId", $"Patient {patientId} is not known to Billing.");

        var live = await db.Claims.AsNoTracking().Include(c => c.Lines)
            .FirstOrDefaultAsync(c => c.PatientId == patientId && c.Year == m.Year && c.Month == m.Month && c.VoidedAt == null, ct);
        if (live is not null)
        {
            if (MonthCloser.IsEarlyRelease(live)) return TypedResults.Ok(View(live));
            return ApiProblems.Conflict("month", "R-EXCL-2", $"{m} already has live claim {live.ClaimId} from the month close; it cannot also be released early.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var fees = await FeeScheduleStore.LoadAsync(db, now, ct);
        var caps = await db.MueCaps.AsNoTracking().ToListAsync(ct);
        var file = await FactsLoader.LoadAsync(db, patientId, ct);
        var payer = file.CoverageOn(m.LastDay)?.Payer ?? FeeScheduleStore.DefaultPayer;
        var facts = FactsLoader.ToFacts(file, m, fees, FeeScheduleStore.Mue(caps, payer));
        var result = EarlyRelease.Evaluate(facts, now);
        if (result.Outcome is not MonthOutcome.Claim claim || result.ReleaseDate is not { } releaseDate)
        {
            var (kind, reasons, text) = MonthCloser.Describe(result.Outcome);
            return ApiProblems.Unprocessable("month", "R-CLOSE-3",
                $"{m} cannot be released yet: {kind} ({string.Join(", ", reasons)}): {text}");
        }

        var record = MonthCloser.NewClaim(patient.PracticeId, patientId, m, claim, file, now, replaces: null,
            ExplanationJson.Serialize(claim.Explanation), string.Join(';', claim.Explanation.RulesApplied.Distinct()));
        db.Claims.Add(record);
        db.Outbox(new ClaimCreated(patient.PracticeId, patientId, record.ClaimId, m.Year, m.Month, record.Lines.Select(l => l.Code).ToList(), record.TotalCents, now), now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another release or a close took the patient-month's live key first (R-EXCL-2).
            db.ChangeTracker.Clear();
            var winner = await db.Claims.AsNoTracking().Include(c => c.Lines)
                .FirstOrDefaultAsync(c => c.PatientId == patientId && c.Year == m.Year && c.Month == m.Month && c.VoidedAt == null, ct);
            if (winner is not null && MonthCloser.IsEarlyRelease(winner)) return TypedResults.Ok(View(winner));
            return ApiProblems.Conflict("month", "R-EXCL-2", $"{m} already has a live claim.");
        }
        return TypedResults.Created($"/api/billing/patients/{patientId}/months/{m}/release", View(record));
    }

    internal static async Task<Results<Ok<EarlyReleaseView>, ProblemHttpResult>> Get(Guid patientId, string month, BillingDbContext db, CancellationToken ct)
    {
        if (!BillingApi.TryMonth(month, out var m))
            return ApiProblems.BadRequest("month", "R-TIME-1", $"'{month}' is not a calendar month; use yyyy-MM (e.g. 2025-03).");
        var live = await db.Claims.AsNoTracking().Include(c => c.Lines)
            .FirstOrDefaultAsync(c => c.PatientId == patientId && c.Year == m.Year && c.Month == m.Month && c.VoidedAt == null, ct);
        // A claim the month close created is not a release; the claims list shows it.
        return live is not null && MonthCloser.IsEarlyRelease(live)
            ? TypedResults.Ok(View(live))
            : ApiProblems.NotFound("month", $"{m} has no live early-released claim for patient {patientId}.");
    }

    private static EarlyReleaseView View(ClaimRecord c) => new(c.DateOfService, ClaimView.From(c));
}
