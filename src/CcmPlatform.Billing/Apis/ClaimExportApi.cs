using CcmPlatform.Billing.Data;
using CcmPlatform.Billing.Exports;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Billing.Apis;

public static class ClaimExportApi
{
    /// <summary>Live claims of a practice-month as a FHIR R4 collection Bundle of Claim resources.</summary>
    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetClaimsFhir(
        Guid practiceId, string month, BillingDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (!BillingApi.TryMonth(month, out var m))
            return Infrastructure.Http.ApiProblems.BadRequest("month", "R-TIME-1", $"'{month}' is not a calendar month; use yyyy-MM (e.g. 2025-03).");
        var claims = await db.Claims.AsNoTracking().Include(c => c.Lines)
            .Where(c => c.PracticeId == practiceId && c.Year == m.Year && c.Month == m.Month && c.VoidedAt == null)
            .ToListAsync(ct);
        var ids = claims.Select(c => c.PatientId).Distinct().ToList();
        var patients = await db.Patients.AsNoTracking().Where(p => ids.Contains(p.PatientId)).ToDictionaryAsync(p => p.PatientId, ct);
        var coverages = (await db.Coverages.AsNoTracking().Where(c => ids.Contains(c.PatientId)).ToListAsync(ct)).ToLookup(c => c.PatientId);
        var sources = claims.OrderBy(c => c.PatientName).ThenBy(c => c.PatientId).Select(c => new FhirClaimSource(
            c,
            patients.GetValueOrDefault(c.PatientId),
            // The coverage whose MBI the claim carries, in force on the date of service; latest recorded wins.
            coverages[c.PatientId].Where(v => v.PartBStart <= c.DateOfService && (v.PartBEnd is not { } e || c.DateOfService <= e))
                .OrderByDescending(v => v.OccurredAt).FirstOrDefault(v => v.Mbi == c.Mbi)));
        var bundle = FhirClaimExport.ToBundle(sources, clock.GetUtcNow().UtcDateTime);
        return TypedResults.Text(FhirClaimExport.Serialize(bundle), FhirClaimExport.MediaType);
    }
}
