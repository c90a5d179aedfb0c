using System.Security.Claims;
using System.Text.Json;
using CcmPlatform.Contracts;
using CcmPlatform.Infrastructure.Hosting;
using CcmPlatform.Infrastructure.Http;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.Medications.Data;
using CcmPlatform.Medications.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Medications.Apis;

public sealed record MedicationRequest(string? RxNormCode, string? Display, string? Status, DateTime? OccurredAt);

public sealed record StatusRequest(string? Status, DateTime? OccurredAt);

public sealed record MedicationResponse(Guid Id, Guid PatientId, string RxNormCode, string Display, string Status, string Source, string? ExternalId, DateTime OccurredAt, DateTime RecordedAt)
{
    public static MedicationResponse From(MedicationEntry m) => new(m.Id, m.PatientId, m.RxNormCode, m.Display, m.Status, m.Source, m.ExternalId, m.OccurredAt, m.RecordedAt);
}

public sealed record ReconciliationChange(Guid? MedicationId, string? RxNormCode, string? Display, string? Status);

public sealed record ReconciliationRequest(DateTime? OccurredAt, string? Discrepancies, List<ReconciliationChange>? Changes);

public sealed record ReconciliationResponse(Guid Id, Guid PatientId, Guid ReconciledBy, DateTime OccurredAt, DateTime RecordedAt, string Discrepancies, List<ReconciliationChange> Changes);

public sealed record AlertResponse(Guid Id, string RuleId, string Severity, string Summary, DateTime RaisedAt, DateTime? ResolvedAt, DateTime? AcknowledgedAt, Guid? AcknowledgedBy, string? AcknowledgementReason)
{
    public static AlertResponse From(InteractionAlert a) => new(a.Id, a.RuleId, a.Severity, a.Summary, a.RaisedAt, a.ResolvedAt, a.AcknowledgedAt, a.AcknowledgedBy, a.AcknowledgementReason);
}

public sealed record AcknowledgeRequest(
    [property: System.ComponentModel.Description("Why the combination stays or what was done, e.g. \"INR checked weekly; prescriber aware\".")] string? Reason,
    [property: System.ComponentModel.Description("When the clinician acknowledged (UTC); defaults to now; future refused.")] DateTime? OccurredAt);

public static class MedicationsApi
{
    public static IEndpointRouteBuilder MapMedicationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/medications").WithTags("Medications").RequirePracticeScope<MedicationsPracticeDirectory>();
        api.RequireRequestLimits();
        api.MapGet("/patients/{patientId:guid}/medications", ListAsync).RequireAuthorization(Policies.Read).WithSummary("The medication list (RxNorm), imported and manual.");
        api.MapPost("/patients/{patientId:guid}/medications", AddAsync).RequireAuthorization(Policies.Clinical).WithSummary("Add a medication; the interaction check reruns (a product already active is accepted and raises a duplicate-therapy alert).")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "rxNormCode is not an RxNorm concept id (digits), status is not active or stopped, occurredAt is in the future, or occurredAt is before 2015-01-01 (DATE_OUT_OF_RANGE).");
        api.MapGet("/patients/{patientId:guid}/medications/{medicationId:guid}", GetAsync).RequireAuthorization(Policies.Read).WithSummary("One medication of the patient's list: the Location an added medication answers with.")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "The medication does not exist, is on another patient's list, or belongs to another practice.");
        api.MapPost("/patients/{patientId:guid}/medications/{medicationId:guid}/status", SetStatusAsync).RequireAuthorization(Policies.Clinical).WithSummary("Set a medication active or stopped; the interaction check reruns.")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "status is not active or stopped, occurredAt is in the future, or occurredAt is before 2015-01-01 (DATE_OUT_OF_RANGE).");
        api.MapPost("/patients/{patientId:guid}/reconciliations", ReconcileAsync).RequireAuthorization(Policies.Clinical).WithSummary("Record a reconciliation: who, when, discrepancies found and changes made.")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "A change has a status other than active or stopped, names a medicationId not on this patient's list, a new medication has no RxNorm concept id, occurredAt is in the future, or occurredAt is before 2015-01-01 (DATE_OUT_OF_RANGE).");
        api.MapGet("/patients/{patientId:guid}/reconciliations", ListReconciliationsAsync).RequireAuthorization(Policies.Read).WithSummary("Reconciliations of the patient.");
        api.MapGet("/patients/{patientId:guid}/reconciliations/{reconciliationId:guid}", GetReconciliationAsync).RequireAuthorization(Policies.Read).WithSummary("One reconciliation of the patient: the Location a recorded reconciliation answers with.")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "The reconciliation does not exist, is another patient's, or belongs to another practice.");
        api.MapGet("/patients/{patientId:guid}/alerts", AlertsAsync).RequireAuthorization(Policies.Read).WithSummary("Open interaction alerts (all=true includes resolved ones).");
        api.MapPost("/patients/{patientId:guid}/alerts/{alertId:guid}/acknowledge", AcknowledgeAsync).RequireAuthorization(Policies.Clinical).WithSummary("Acknowledge an interaction alert with a reason.")
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "The alert was already acknowledged.")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "reason is missing, occurredAt is in the future, or occurredAt is before 2015-01-01 (DATE_OUT_OF_RANGE).");
        return app;
    }

    private static async Task<Results<Ok<List<MedicationResponse>>, ProblemHttpResult>> ListAsync(Guid patientId, MedicationsDbContext db, CancellationToken ct)
    {
        if (!await db.Patients.AnyAsync(p => p.Id == patientId, ct))
        {
            return ApiProblems.NotFound("patientId", $"Patient {patientId} is not known to Medications.");
        }

        var meds = await db.Medications.AsNoTracking().Where(m => m.PatientId == patientId).OrderBy(m => m.Display).ToListAsync(ct);
        return TypedResults.Ok(meds.Select(MedicationResponse.From).ToList());
    }

    private static async Task<Results<Ok<MedicationResponse>, ProblemHttpResult>> GetAsync(Guid patientId, Guid medicationId, MedicationsDbContext db, CancellationToken ct)
    {
        var entry = await db.Medications.AsNoTracking().FirstOrDefaultAsync(m => m.Id == medicationId && m.PatientId == patientId, ct);
        return entry is null
            ? ApiProblems.NotFound("medicationId", $"Medication {medicationId} is not on this patient's list.")
            : TypedResults.Ok(MedicationResponse.From(entry));
    }

    private static async Task<Results<Created<MedicationResponse>, ProblemHttpResult>> AddAsync(
        Guid patientId, MedicationRequest request, ClaimsPrincipal user, MedicationsDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.Id == patientId, ct);
        if (patient is null)
        {
            return ApiProblems.NotFound("patientId", $"Patient {patientId} is not known to Medications.");
        }

        if (string.IsNullOrWhiteSpace(request.RxNormCode) || !request.RxNormCode.Trim().All(char.IsAsciiDigit))
        {
            return ApiProblems.Unprocessable("rxNormCode", "RXNORM", "rxNormCode must be an RxNorm concept id (digits).");
        }

        if (NormaliseStatus(request.Status) is not { } status)
        {
            return ApiProblems.Unprocessable("status", "MEDICATION_STATUS", "status must be 'active' or 'stopped'.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (OccurredAt(request.OccurredAt, now, out var occurredAt) is { } future)
        {
            return future;
        }

        var entry = new MedicationEntry
        {
            Id = Guid.CreateVersion7(now),
            PatientId = patientId,
            PracticeId = patient.PracticeId,
            RxNormCode = request.RxNormCode.Trim(),
            Display = request.Display?.Trim() ?? "",
            Status = status,
            Source = MedicationSource.Manual,
            OccurredAt = occurredAt,
            RecordedAt = now,
            RecordedBy = user.RosterId(),
        };
        db.Medications.Add(entry);
        await MedicationList.StageRecheckAsync(db, patientId, patient.PracticeId, now, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/medications/patients/{patientId}/medications/{entry.Id}", MedicationResponse.From(entry));
    }

    private static async Task<Results<Ok<MedicationResponse>, ProblemHttpResult>> SetStatusAsync(
        Guid patientId, Guid medicationId, StatusRequest request, MedicationsDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var entry = await db.Medications.FirstOrDefaultAsync(m => m.Id == medicationId && m.PatientId == patientId, ct);
        if (entry is null)
        {
            return ApiProblems.NotFound("medicationId", $"Medication {medicationId} is not on this patient's list.");
        }

        if (NormaliseStatus(request.Status) is not { } status)
        {
            return ApiProblems.Unprocessable("status", "MEDICATION_STATUS", "status must be 'active' or 'stopped'.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (OccurredAt(request.OccurredAt, now, out _) is { } future)
        {
            return future;
        }

        entry.Status = status;
        await MedicationList.StageRecheckAsync(db, patientId, entry.PracticeId, now, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(MedicationResponse.From(entry));
    }

    private static async Task<Results<Created<ReconciliationResponse>, ProblemHttpResult>> ReconcileAsync(
        Guid patientId, ReconciliationRequest request, ClaimsPrincipal user, MedicationsDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.Id == patientId, ct);
        if (patient is null)
        {
            return ApiProblems.NotFound("patientId", $"Patient {patientId} is not known to Medications.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (OccurredAt(request.OccurredAt, now, out var occurredAt) is { } future)
        {
            return future;
        }

        var changes = request.Changes ?? [];
        await db.Medications.Where(m => m.PatientId == patientId).LoadAsync(ct);
        for (var i = 0; i < changes.Count; i++)
        {
            var c = changes[i];
            if (NormaliseStatus(c.Status) is not { } status)
            {
                return ApiProblems.Unprocessable($"changes[{i}].status", "MEDICATION_STATUS", "status must be 'active' or 'stopped'.");
            }

            var target = c.MedicationId is { } id
                ? db.Medications.Local.FirstOrDefault(m => m.Id == id && m.PatientId == patientId)
                : db.Medications.Local.FirstOrDefault(m => m.PatientId == patientId && m.RxNormCode == c.RxNormCode);
            if (target is null && c.MedicationId is { } unknown)
            {
                // An id names an entry to change; turning it into a new row would hide a stale or cross-patient reference.
                return ApiProblems.Unprocessable($"changes[{i}].medicationId", "MEDICATION_NOT_ON_LIST", $"Medication {unknown} is not on this patient's list; omit medicationId to add a new medication.");
            }

            if (target is not null)
            {
                target.Status = status;
                continue;
            }

            if (string.IsNullOrWhiteSpace(c.RxNormCode) || !c.RxNormCode.All(char.IsAsciiDigit))
            {
                return ApiProblems.Unprocessable($"changes[{i}].rxNormCode", "RXNORM", "A new medication needs an RxNorm concept id.");
            }

            db.Medications.Add(new MedicationEntry { Id = Guid.CreateVersion7(now), PatientId = patientId, PracticeId = patient.PracticeId, RxNormCode = c.RxNormCode, Display = c.Display ?? "", Status = status, Source = MedicationSource.Manual, OccurredAt = occurredAt, RecordedAt = now, RecordedBy = user.RosterId() });
        }

        var reconciliation = new Reconciliation
        {
            Id = Guid.CreateVersion7(now),
            PatientId = patientId,
            PracticeId = patient.PracticeId,
            ReconciledBy = user.RosterId(),
            OccurredAt = occurredAt,
            RecordedAt = now,
            Discrepancies = request.Discrepancies ?? "",
            Changes = JsonSerializer.Serialize(changes, JsonSerializerOptions.Web),
        };
        db.Reconciliations.Add(reconciliation);
        await MedicationList.StageRecheckAsync(db, patientId, patient.PracticeId, now, ct);
        db.Outbox(new MedicationsReconciled(patient.PracticeId, patientId, reconciliation.Id, reconciliation.ReconciledBy, occurredAt, now), now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/medications/patients/{patientId}/reconciliations/{reconciliation.Id}", ToResponse(reconciliation));
    }

    private static async Task<Ok<List<ReconciliationResponse>>> ListReconciliationsAsync(Guid patientId, MedicationsDbContext db, CancellationToken ct)
        => TypedResults.Ok((await db.Reconciliations.AsNoTracking().Where(r => r.PatientId == patientId).OrderBy(r => r.OccurredAt).ToListAsync(ct)).Select(ToResponse).ToList());

    private static async Task<Results<Ok<ReconciliationResponse>, ProblemHttpResult>> GetReconciliationAsync(Guid patientId, Guid reconciliationId, MedicationsDbContext db, CancellationToken ct)
    {
        var reconciliation = await db.Reconciliations.AsNoTracking().FirstOrDefaultAsync(r => r.Id == reconciliationId && r.PatientId == patientId, ct);
        return reconciliation is null
            ? ApiProblems.NotFound("reconciliationId", $"Reconciliation {reconciliationId} is not one of this patient's.")
            : TypedResults.Ok(ToResponse(reconciliation));
    }

    private static async Task<Ok<List<AlertResponse>>> AlertsAsync(Guid patientId, bool? all, MedicationsDbContext db, CancellationToken ct)
    {
        var query = db.Alerts.AsNoTracking().Where(a => a.PatientId == patientId);
        if (all != true)
        {
            query = query.Where(a => a.ResolvedAt == null);
        }

        var alerts = await query.OrderBy(a => a.RaisedAt).ToListAsync(ct);
        return TypedResults.Ok(alerts.Select(AlertResponse.From).ToList());
    }

    /// <summary>Acknowledging keeps the alert on record (with who, when and why) but takes it off the worklist's open count.</summary>
    private static async Task<Results<Ok<AlertResponse>, ProblemHttpResult>> AcknowledgeAsync(
        Guid patientId, Guid alertId, AcknowledgeRequest request, ClaimsPrincipal user, MedicationsDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var alert = await db.Alerts.FirstOrDefaultAsync(a => a.Id == alertId && a.PatientId == patientId, ct);
        if (alert is null)
        {
            return ApiProblems.NotFound("alertId", $"Alert {alertId} is not one of this patient's alerts.");
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            return ApiProblems.Unprocessable("reason", "ALERT_ACK_REASON", "Acknowledging an interaction alert needs a reason.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (OccurredAt(request.OccurredAt, now, out var occurredAt) is { } future)
        {
            return future;
        }

        if (alert.AcknowledgedAt is not null)
        {
            return ApiProblems.Conflict("alertId", "ALERT_ACKNOWLEDGED", $"Alert {alertId} was already acknowledged at {alert.AcknowledgedAt:O}.");
        }

        alert.AcknowledgedAt = occurredAt;
        alert.AcknowledgedBy = user.RosterId();
        alert.AcknowledgementReason = request.Reason.Trim();
        if (alert.ResolvedAt is null)
        {
            db.Outbox(new InteractionAlertClosed(alert.PracticeId, patientId, alert.Id, "Acknowledged", now), now);
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(AlertResponse.From(alert));
    }

    private static ReconciliationResponse ToResponse(Reconciliation r) => new(
        r.Id, r.PatientId, r.ReconciledBy, r.OccurredAt, r.RecordedAt, r.Discrepancies, JsonSerializer.Deserialize<List<ReconciliationChange>>(r.Changes, JsonSerializerOptions.Web) ?? []);

    private static string? NormaliseStatus(string? status) => status?.Trim().ToLowerInvariant() switch
    {
        null or "" or "active" => MedicationStatus.Active,
        "stopped" or "completed" or "inactive" => MedicationStatus.Stopped,
        _ => null,
    };

    private static ProblemHttpResult? OccurredAt(DateTime? requested, DateTime now, out DateTime occurredAt)
    {
        occurredAt = requested is { } r ? (r.Kind == DateTimeKind.Utc ? r : DateTime.SpecifyKind(r.ToUniversalTime(), DateTimeKind.Utc)) : now;
        if (occurredAt > now)
        {
            return ApiProblems.Unprocessable("occurredAt", "R-FACT-1", "occurredAt is in the future.");
        }

        // Every change recorded here is a care-team action; one dated before CCM existed is a mistyped year.
        PlausibleDates.NotBeforeCcm(occurredAt, "occurredAt");
        return null;
    }
}
