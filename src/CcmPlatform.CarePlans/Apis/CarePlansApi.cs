using System.Security.Claims;
using System.Text.Json;
using CcmPlatform.CarePlans.Data;
using CcmPlatform.CarePlans.Domain;
using CcmPlatform.Contracts;
using CcmPlatform.Infrastructure.Hosting;
using CcmPlatform.Infrastructure.Http;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.Terminology;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.CarePlans.Apis;

public sealed record PlanRequest(
    Guid PatientId,
    List<PlanProblem>? Problems,
    string? ExpectedOutcome,
    string? Prognosis,
    List<PlanGoal>? Goals,
    string? SymptomManagement,
    List<PlanIntervention>? Interventions,
    string? MedicationManagement,
    string? CommunityResources,
    string? Coordination,
    DateOnly? ReviewDate,
    [property: System.ComponentModel.Description("When the plan was drawn up (default now, never in the future, not before 2015-01-01); goal target dates and the review date may not be before its date in the practice's zone, nor more than 5 years ahead.")] DateTime? OccurredAt = null);

public sealed record SignRequest(DateTime? OccurredAt);

public sealed record ShareRequest(string? Method, DateTime? OccurredAt);

public sealed record RevisionRequest(DateTime? OccurredAt, string? Summary);

public sealed record ComplexityRequest(MdmLevel Level, DateTime? OccurredAt);

public sealed record VersionResponse(int Number, PlanStatus Status, Guid CreatedBy, DateTime CreatedAt, Guid? SignedBy, DateTime? SignedAt, PlanContent Content);

public sealed record VersionSummary(int Number, PlanStatus Status, DateTime CreatedAt, Guid? SignedBy, DateTime? SignedAt);

public sealed record ShareResponse(int VersionNumber, string Method, DateTime SharedAt, Guid SharedBy);

public sealed record PlanResponse(
    Guid Id,
    Guid PatientId,
    Guid PracticeId,
    int Etag,
    PlanStatus Status,
    VersionResponse LatestVersion,
    VersionResponse? ActiveVersion,
    List<VersionSummary> Versions,
    List<ShareResponse> Shares);

public sealed record ComplexityResponse(Guid Id, Guid PatientId, MdmLevel Level, Guid PractitionerId, DateTime OccurredAt, DateTime RecordedAt);

public static class CarePlansApi
{
    /// <summary>Dates of one plan keep their order: drawn up, signed, then shared (docs/rules.md).</summary>
    public const string PlanDateOrderRule = "PLAN_DATE_ORDER";

    public static IEndpointRouteBuilder MapCarePlansApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/careplans").WithTags("CarePlans").RequirePracticeScope<CarePlansPracticeDirectory>();
        api.RequireRequestLimits();
        api.MapPost("/plans", CreateAsync).RequireAuthorization(Policies.Clinical).WithSummary("Create a care plan draft with every R-PLAN-1 element; returns an ETag.")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "The patient is not known to CarePlans, or belongs to another practice.")
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "The patient already has a care plan; revise it with PUT.")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "A problem has no ICD-10-CM code, or its code is not ICD-10-CM (R-PLAN-1); occurredAt is in the future (R-FACT-1) or before 2015-01-01, or a goal's targetDate or the reviewDate is more than 5 years ahead (DATE_OUT_OF_RANGE); or one of them is before the day the plan is drawn up (PLAN_DATE_IN_PAST).");
        api.MapGet("/plans/{planId:guid}", GetAsync).RequireAuthorization(Policies.Read).WithSummary("A care plan with versions, signatures and shares; returns an ETag.");
        api.MapGet("/patients/{patientId:guid}/plan", GetForPatientAsync).RequireAuthorization(Policies.Read).WithSummary("The patient's care plan; returns an ETag.");
        api.MapPut("/plans/{planId:guid}", UpdateAsync).RequireAuthorization(Policies.Clinical).WithSummary("Revise the plan (a new draft version). Needs If-Match: missing 428, stale 412.")
            .DocumentsIfMatch(required: true)
            .ProducesProblemWhen(StatusCodes.Status428PreconditionRequired, "If-Match is missing; send the ETag of the plan you read.")
            .ProducesProblemWhen(StatusCodes.Status412PreconditionFailed, "If-Match is stale, or the plan changed while saving; reload and retry.")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "A problem has no ICD-10-CM code, or its code is not ICD-10-CM (R-PLAN-1); or patientId names another patient than the plan's (PLAN_PATIENT_MISMATCH); occurredAt is in the future (R-FACT-1) or before 2015-01-01, or a goal's targetDate or the reviewDate is more than 5 years ahead (DATE_OUT_OF_RANGE); or one of them is before the day the plan is drawn up (PLAN_DATE_IN_PAST).");
        api.MapPost("/plans/{planId:guid}/sign", SignAsync).RequireAuthorization(Policies.Practitioner).WithSummary("Sign and activate the latest draft; caller must be the billing practitioner; missing elements → 422.")
            .ProducesProblemWhen(StatusCodes.Status403Forbidden, "The caller is not the patient's current billing practitioner (R-PLAN-2).")
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "The latest version is already signed; revise the plan first.")
            .DocumentsIfMatch(required: false)
            .ProducesProblemWhen(StatusCodes.Status412PreconditionFailed, "If-Match was sent and is stale, or the plan changed while saving.")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "An R-PLAN-1 element is missing from the draft, or occurredAt is in the future, before the previous signature or before the draft's drawn-up day (PLAN_DATE_ORDER).");
        api.MapPost("/plans/{planId:guid}/share", ShareAsync).RequireAuthorization(Policies.Clinical).WithSummary("Record that the plan was shared with the patient (date and method).")
            .ProducesProblemWhen(StatusCodes.Status412PreconditionFailed, "The plan changed while saving; reload and retry.")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "method is missing, occurredAt is in the future or before the signature (PLAN_DATE_ORDER), or the plan has no signed version (R-PLAN-1).");
        api.MapPost("/plans/{planId:guid}/substantial-revision", ReviseAsync).RequireAuthorization(Policies.Practitioner).WithSummary("Mark a substantial revision (billing practitioner only).")
            .ProducesProblemWhen(StatusCodes.Status403Forbidden, "The caller is not the patient's current billing practitioner (R-PLAN-2).")
            .ProducesProblemWhen(StatusCodes.Status412PreconditionFailed, "The plan changed while saving; reload and retry.")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "occurredAt is missing or in the future, or the revised plan is not signed yet (R-PLAN-2).");
        api.MapGet("/plans/{planId:guid}/patient-copy", PatientCopyAsync).RequireAuthorization(Policies.Read).WithSummary("A patient-readable HTML copy of the current plan.")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "The plan has no signed version to give the patient yet.");
        api.MapPost("/patients/{patientId:guid}/complexity", ComplexityAsync).RequireAuthorization(Policies.Practitioner).WithSummary("Record the month's MDM complexity (billing practitioner only, R-CPLX-1).")
            .ProducesProblemWhen(StatusCodes.Status403Forbidden, "The caller is not the patient's current billing practitioner (R-PLAN-2).")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "occurredAt is in the future (R-FACT-1), or before 2015-01-01 (DATE_OUT_OF_RANGE).");
        api.MapGet("/patients/{patientId:guid}/complexity", ListComplexityAsync).RequireAuthorization(Policies.Read).WithSummary("MDM complexity assessments of the patient.");
        api.MapGet("/patients/{patientId:guid}/complexity/{assessmentId:guid}", GetComplexityAsync).RequireAuthorization(Policies.Read).WithSummary("One MDM complexity assessment: the Location a recorded one answers with.")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "The assessment does not exist, is another patient's, or belongs to another practice.");
        return app;
    }

    private static async Task<Results<Created<PlanResponse>, ProblemHttpResult>> CreateAsync(
        PlanRequest request, ClaimsPrincipal user, CarePlansDbContext db, IPracticeDirectory practices, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (await PracticeScope.RefuseAsync(user, practices, "patientId", request.PatientId, ct) is { } outOfScope)
        {
            return outOfScope;
        }

        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.Id == request.PatientId, ct);
        if (patient is null)
        {
            return ApiProblems.NotFound("patientId", $"Patient {request.PatientId} is not known to CarePlans.");
        }

        if (await db.Plans.AnyAsync(p => p.PatientId == request.PatientId, ct))
        {
            return ApiProblems.Conflict("patientId", "R-PLAN-1", "The patient already has a care plan; revise it with PUT.");
        }

        var problems = request.Problems ?? JsonSerializer.Deserialize<List<PlanProblem>>(patient.ConditionsJson, JsonSerializerOptions.Web) ?? [];
        if (!TryContent(request, problems, out var content, out var problem))
        {
            return problem!;
        }

        if (await RefuseResponsibleAsync(content, patient.PracticeId, practices, ct) is { } otherMember)
        {
            return otherMember;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (await ForwardDatesAsync(db, patient.PracticeId, content, request.OccurredAt, now, ct) is { } dated)
        {
            return dated;
        }

        var plan = new CarePlan { Id = Guid.CreateVersion7(now), PatientId = patient.Id, PracticeId = patient.PracticeId, Version = 1, CreatedAt = now, CreatedBy = user.RosterId() };
        db.Plans.Add(plan);
        db.Versions.Add(NewVersion(plan, 1, content, user.RosterId(), now, request.OccurredAt));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return ApiProblems.Conflict("patientId", "R-PLAN-1", "The patient already has a care plan; revise it with PUT.");
        }

        SetETag(http, plan);
        return TypedResults.Created($"/api/careplans/plans/{plan.Id}", await ResponseAsync(db, plan, ct));
    }

    private static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> GetAsync(Guid planId, CarePlansDbContext db, HttpContext http, CancellationToken ct)
    {
        var plan = await db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
        {
            return ApiProblems.NotFound("planId", $"Care plan {planId} does not exist.");
        }

        SetETag(http, plan);
        return TypedResults.Ok(await ResponseAsync(db, plan, ct));
    }

    private static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> GetForPatientAsync(Guid patientId, CarePlansDbContext db, HttpContext http, CancellationToken ct)
    {
        var plan = await db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.PatientId == patientId, ct);
        if (plan is null)
        {
            return ApiProblems.NotFound("patientId", $"Patient {patientId} has no care plan.");
        }

        SetETag(http, plan);
        return TypedResults.Ok(await ResponseAsync(db, plan, ct));
    }

    /// <summary>
    /// A revision is a new draft version; the last signed version stays active until the draft is
    /// signed (R-PLAN-1). If-Match is required: a missing one is 428, a stale one 412.
    /// </summary>
    private static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> UpdateAsync(
        Guid planId, PlanRequest request, ClaimsPrincipal user, CarePlansDbContext db, IPracticeDirectory practices, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var plan = await db.Plans.FirstOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
        {
            return ApiProblems.NotFound("planId", $"Care plan {planId} does not exist.");
        }

        if (CheckIfMatch(http, plan, required: true) is { } precondition)
        {
            return precondition;
        }

        // A plan never changes patient; a body naming another one is a client that mixed up two charts.
        if (request.PatientId != Guid.Empty && request.PatientId != plan.PatientId)
        {
            return ApiProblems.Unprocessable("patientId", "PLAN_PATIENT_MISMATCH", $"This plan belongs to patient {plan.PatientId}, not {request.PatientId}; a plan never changes patient.");
        }

        var latest = await db.Versions.Where(v => v.CarePlanId == plan.Id).OrderByDescending(v => v.Number).FirstAsync(ct);
        var previous = PlanContent.FromJson(latest.Content);
        if (!TryContent(request, request.Problems ?? [.. previous.Problems], out var content, out var problem))
        {
            return problem!;
        }

        if (await RefuseResponsibleAsync(content, plan.PracticeId, practices, ct) is { } otherMember)
        {
            return otherMember;
        }

        if (content.SameAs(previous))
        {
            SetETag(http, plan);
            return TypedResults.Ok(await ResponseAsync(db, plan, ct));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (await ForwardDatesAsync(db, plan.PracticeId, content, request.OccurredAt, now, ct) is { } dated)
        {
            return dated;
        }

        if (latest.Status == PlanStatus.Draft)
        {
            // An unsigned draft replaced by a newer one never becomes active.
            latest.Status = PlanStatus.Superseded;
        }

        db.Versions.Add(NewVersion(plan, latest.Number + 1, content, user.RosterId(), now, request.OccurredAt));
        plan.Version++;
        if (await SaveOrStaleAsync(db, ct) is { } stale)
        {
            return stale;
        }

        SetETag(http, plan);
        return TypedResults.Ok(await ResponseAsync(db, plan, ct));
    }

    private static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> SignAsync(
        Guid planId, SignRequest request, ClaimsPrincipal user, CarePlansDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var plan = await db.Plans.FirstOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
        {
            return ApiProblems.NotFound("planId", $"Care plan {planId} does not exist.");
        }

        if (CheckIfMatch(http, plan, required: false) is { } precondition)
        {
            return precondition;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (OccurredAt(request.OccurredAt, now, out var occurredAt) is { } future)
        {
            return future;
        }

        var versions = await db.Versions.Where(v => v.CarePlanId == plan.Id).OrderByDescending(v => v.Number).ToListAsync(ct);
        var draft = versions[0];
        if (draft.Status != PlanStatus.Draft)
        {
            return ApiProblems.Conflict("planId", "R-PLAN-1", "The latest version is already signed; revise the plan to sign a new version.");
        }

        // Checked before the billing practitioner: a backdated signature would otherwise be refused as
        // the wrong signer when the real problem is the date.
        if (await SignatureOutOfOrderAsync(db, plan.PracticeId, versions, draft, occurredAt, ct) is { } outOfOrder)
        {
            return outOfOrder;
        }

        var caller = user.RosterId();
        if (await BillingPractitionerAsync(db, plan.PatientId, occurredAt, ct) != caller)
        {
            return ApiProblems.Forbidden("Authorization", "R-PLAN-2", $"Only the patient's current billing practitioner may sign the care plan; your token's subject {caller} is not the billing practitioner on {occurredAt:yyyy-MM-dd}.");
        }

        var missing = PlanRules.MissingElements(PlanContent.FromJson(draft.Content));
        if (missing.Count > 0)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "The request breaks a rule.",
                detail: $"The care plan cannot be activated; missing: {string.Join(", ", missing.Keys)}.",
                extensions: new Dictionary<string, object?>
                {
                    ["rule"] = "R-PLAN-1",
                    ["missing"] = missing.Keys.ToList(),
                    ["errors"] = missing.ToDictionary(m => m.Key, m => new[] { m.Value }),
                });
        }

        var firstActivation = !versions.Any(v => v.SignedAt is not null);
        foreach (var active in versions.Where(v => v.Status == PlanStatus.Active))
        {
            active.Status = PlanStatus.Superseded;
        }

        draft.Status = PlanStatus.Active;
        draft.SignedBy = caller;
        draft.SignedAt = occurredAt;
        draft.SignRecordedAt = now;
        plan.Version++;
        db.Outbox(new CarePlanActivated(plan.PracticeId, plan.PatientId, plan.Id, draft.Number, caller, occurredAt, firstActivation, now), now);
        if (await SaveOrStaleAsync(db, ct) is { } stale)
        {
            return stale;
        }

        SetETag(http, plan);
        return TypedResults.Ok(await ResponseAsync(db, plan, ct));
    }

    private static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> ShareAsync(
        Guid planId, ShareRequest request, ClaimsPrincipal user, CarePlansDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var plan = await db.Plans.FirstOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
        {
            return ApiProblems.NotFound("planId", $"Care plan {planId} does not exist.");
        }

        if (string.IsNullOrWhiteSpace(request.Method))
        {
            return ApiProblems.Unprocessable("method", "R-PLAN-1", "How the plan was given to the patient is required (e.g. paper, portal, email).");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (OccurredAt(request.OccurredAt, now, out var occurredAt) is { } future)
        {
            return future;
        }

        var active = await db.Versions.AsNoTracking().FirstOrDefaultAsync(v => v.CarePlanId == plan.Id && v.Status == PlanStatus.Active, ct);
        if (active is null)
        {
            return ApiProblems.Unprocessable("planId", "R-PLAN-1", "Only a signed (active) plan can be given to the patient.");
        }

        if (occurredAt < active.SignedAt)
        {
            return ApiProblems.Unprocessable("occurredAt", PlanDateOrderRule, $"A plan cannot be shared before it was signed ({active.SignedAt:yyyy-MM-ddTHH:mm}Z).");
        }

        var method = request.Method.Trim();
        db.Shares.Add(new CarePlanShare { Id = Guid.CreateVersion7(now), CarePlanId = plan.Id, VersionNumber = active.Number, Method = method, SharedAt = occurredAt, SharedBy = user.RosterId(), RecordedAt = now });
        plan.Version++;
        db.Outbox(new CarePlanShared(plan.PracticeId, plan.PatientId, plan.Id, active.Number, method, occurredAt, now), now);
        if (await SaveOrStaleAsync(db, ct) is { } stale)
        {
            return stale;
        }

        SetETag(http, plan);
        return TypedResults.Ok(await ResponseAsync(db, plan, ct));
    }

    private static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> ReviseAsync(
        Guid planId, RevisionRequest request, ClaimsPrincipal user, CarePlansDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var plan = await db.Plans.FirstOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
        {
            return ApiProblems.NotFound("planId", $"Care plan {planId} does not exist.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (request.OccurredAt is null)
        {
            return ApiProblems.Unprocessable("occurredAt", "R-PLAN-2", "A substantial revision is an explicit, dated action: occurredAt is required.");
        }

        if (OccurredAt(request.OccurredAt, now, out var occurredAt) is { } future)
        {
            return future;
        }

        var caller = user.RosterId();
        if (await BillingPractitionerAsync(db, plan.PatientId, occurredAt, ct) != caller)
        {
            return ApiProblems.Forbidden("Authorization", "R-PLAN-2", $"Only the patient's current billing practitioner may record a substantial revision; your token's subject {caller} is not the billing practitioner on {occurredAt:yyyy-MM-dd}.");
        }

        var active = await db.Versions.AsNoTracking().FirstOrDefaultAsync(v => v.CarePlanId == plan.Id && v.Status == PlanStatus.Active, ct);
        if (active is null)
        {
            return ApiProblems.Unprocessable("planId", "R-PLAN-2", "Sign the revised plan before recording the substantial revision.");
        }

        db.Revisions.Add(new SubstantialRevision { Id = Guid.CreateVersion7(now), CarePlanId = plan.Id, VersionNumber = active.Number, RevisedBy = caller, Summary = request.Summary, OccurredAt = occurredAt, RecordedAt = now });
        plan.Version++;
        db.Outbox(new CarePlanRevised(plan.PracticeId, plan.PatientId, plan.Id, active.Number, caller, occurredAt, now), now);
        if (await SaveOrStaleAsync(db, ct) is { } stale)
        {
            return stale;
        }

        SetETag(http, plan);
        return TypedResults.Ok(await ResponseAsync(db, plan, ct));
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> PatientCopyAsync(Guid planId, CarePlansDbContext db, CancellationToken ct)
    {
        var plan = await db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
        {
            return ApiProblems.NotFound("planId", $"Care plan {planId} does not exist.");
        }

        var active = await db.Versions.AsNoTracking().FirstOrDefaultAsync(v => v.CarePlanId == plan.Id && v.Status == PlanStatus.Active, ct);
        if (active is null)
        {
            return ApiProblems.NotFound("planId", "The plan has no signed version to give the patient yet.");
        }

        var name = await db.Patients.AsNoTracking().Where(p => p.Id == plan.PatientId).Select(p => p.Name).FirstOrDefaultAsync(ct) ?? "";
        return TypedResults.Content(PlanRules.PatientCopyHtml(name, PlanContent.FromJson(active.Content), active.Number, active.SignedAt), "text/html; charset=utf-8");
    }

    private static async Task<Results<Created<ComplexityResponse>, ProblemHttpResult>> ComplexityAsync(
        Guid patientId, ComplexityRequest request, ClaimsPrincipal user, CarePlansDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.Id == patientId, ct);
        if (patient is null)
        {
            return ApiProblems.NotFound("patientId", $"Patient {patientId} is not known to CarePlans.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (OccurredAt(request.OccurredAt, now, out var occurredAt) is { } future)
        {
            return future;
        }

        // An MDM level dated before CCM existed bears on no CCM month (R-CPLX-1) and is a mistyped year; refused before the
        // billing-practitioner check, which would otherwise answer a typo with a misleading 403 for year 1.
        PlausibleDates.NotBeforeCcm(occurredAt, "occurredAt");
        var caller = user.RosterId();
        if (await BillingPractitionerAsync(db, patientId, occurredAt, ct) != caller)
        {
            return ApiProblems.Forbidden("Authorization", "R-PLAN-2", $"Only the patient's current billing practitioner may record MDM complexity; your token's subject {caller} is not the billing practitioner on {occurredAt:yyyy-MM-dd}.");
        }

        var assessment = new ComplexityAssessment { Id = Guid.CreateVersion7(now), PatientId = patientId, PracticeId = patient.PracticeId, Level = request.Level, PractitionerId = caller, OccurredAt = occurredAt, RecordedAt = now };
        db.Complexity.Add(assessment);
        db.Outbox(new ComplexityAssessed(patient.PracticeId, patientId, assessment.Id, assessment.Level, caller, occurredAt, now), now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/careplans/patients/{patientId}/complexity/{assessment.Id}", ToResponse(assessment));
    }

    private static async Task<Ok<List<ComplexityResponse>>> ListComplexityAsync(Guid patientId, CarePlansDbContext db, CancellationToken ct)
        => TypedResults.Ok((await db.Complexity.AsNoTracking().Where(c => c.PatientId == patientId).OrderBy(c => c.OccurredAt).ToListAsync(ct)).Select(ToResponse).ToList());

    private static async Task<Results<Ok<ComplexityResponse>, ProblemHttpResult>> GetComplexityAsync(Guid patientId, Guid assessmentId, CarePlansDbContext db, CancellationToken ct)
    {
        var assessment = await db.Complexity.AsNoTracking().FirstOrDefaultAsync(c => c.Id == assessmentId && c.PatientId == patientId, ct);
        return assessment is null
            ? ApiProblems.NotFound("assessmentId", $"No complexity assessment {assessmentId} for this patient.")
            : TypedResults.Ok(ToResponse(assessment));
    }

    private static ComplexityResponse ToResponse(ComplexityAssessment c) => new(c.Id, c.PatientId, c.Level, c.PractitionerId, c.OccurredAt, c.RecordedAt);

    private static bool TryContent(PlanRequest r, List<PlanProblem> problems, out PlanContent content, out ProblemHttpResult? problem)
    {
        content = null!;
        problem = null;
        var normalised = new List<PlanProblem>(problems.Count);
        for (var i = 0; i < problems.Count; i++)
        {
            var p = problems[i];
            if (string.IsNullOrWhiteSpace(p.Icd10))
            {
                problem = ApiProblems.Unprocessable($"problems[{i}].icd10", "R-PLAN-1", "Each problem is linked to a condition: an ICD-10-CM code is required.");
                return false;
            }

            if (!Icd10Cm.Default.TryNormalize(p.Icd10, out var code))
            {
                problem = ApiProblems.Unprocessable($"problems[{i}].icd10", "R-PLAN-1", $"'{p.Icd10}' is not an ICD-10-CM code.");
                return false;
            }

            normalised.Add(new PlanProblem(code, string.IsNullOrWhiteSpace(p.Description) ? Icd10Cm.Default.Describe(code) : p.Description.Trim()));
        }

        content = new PlanContent(
            normalised, r.ExpectedOutcome, r.Prognosis, r.Goals ?? [], r.SymptomManagement, r.Interventions ?? [],
            r.MedicationManagement, r.CommunityResources, r.Coordination, r.ReviewDate);
        return true;
    }

    private static CarePlanVersion NewVersion(CarePlan plan, int number, PlanContent content, Guid by, DateTime now, DateTime? drawnUpAt) => new()
    {
        DrawnUpAt = drawnUpAt is { } d ? Utc(d) : now,
        Id = Guid.CreateVersion7(now),
        CarePlanId = plan.Id,
        Number = number,
        Status = PlanStatus.Draft,
        Content = content.ToJson(),
        CreatedBy = by,
        CreatedAt = now,
    };

    /// <summary>
    /// A draft's goal and review dates may not lie before the day it is drawn up in the practice's zone. That day
    /// is occurredAt's (default now), so a plan documented after the fact, like the demo's March 2025, keeps its dates.
    /// </summary>
    private static async Task<ProblemHttpResult?> ForwardDatesAsync(CarePlansDbContext db, Guid practiceId, PlanContent content, DateTime? requested, DateTime now, CancellationToken ct)
    {
        if (OccurredAt(requested, now, out var occurredAt) is { } future)
        {
            return future;
        }

        // A plan drawn up before CCM existed is a mistyped year, and would let goals dated back then through.
        PlausibleDates.NotBeforeCcm(occurredAt, "occurredAt");
        var zone = await ZoneAsync(db, practiceId, ct);
        var drawnUp = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(occurredAt, zone));
        var past = PlanRules.DatesBefore(content, drawnUp);
        if (past.Count > 0)
        {
            return ApiProblems.Unprocessable(past, PlanRules.DateInPastRule,
                $"Goal target dates and the review date may not be before {drawnUp:yyyy-MM-dd}: {string.Join(", ", past.Keys)}.");
        }

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, zone));
        var far = PlanRules.DatesTooFarAhead(content, today);
        return far.Count == 0
            ? null
            : ApiProblems.Unprocessable(far, PlausibleDates.Rule,
                $"Goal target dates and the review date may lie at most {PlanRules.ForwardYears} years ahead: {string.Join(", ", far.Keys)}.");
    }

    private static ProblemHttpResult? OccurredAt(DateTime? requested, DateTime now, out DateTime occurredAt)
    {
        occurredAt = requested is { } r ? Utc(r) : now;
        return occurredAt > now ? ApiProblems.Unprocessable("occurredAt", "R-FACT-1", "occurredAt is in the future.") : null;
    }

    private static DateTime Utc(DateTime r) => r.Kind == DateTimeKind.Utc ? r : DateTime.SpecifyKind(r.ToUniversalTime(), DateTimeKind.Utc);

    private static async Task<TimeZoneInfo> ZoneAsync(CarePlansDbContext db, Guid practiceId, CancellationToken ct)
    {
        var zoneId = await db.Practices.AsNoTracking().Where(p => p.Id == practiceId).Select(p => p.TimeZone).FirstOrDefaultAsync(ct);
        return zoneId is not null && TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var z) ? z : TimeZoneInfo.Utc;
    }

    /// <summary>
    /// PLAN_DATE_ORDER: a signature cannot predate the signature it supersedes, nor the day its draft was
    /// drawn up (practice zone); otherwise a backdated signature would reorder which version was active when.
    /// </summary>
    private static async Task<ProblemHttpResult?> SignatureOutOfOrderAsync(CarePlansDbContext db, Guid practiceId, List<CarePlanVersion> versions, CarePlanVersion draft, DateTime occurredAt, CancellationToken ct)
    {
        if (versions.Where(v => v.SignedAt is not null).Select(v => v.SignedAt!.Value).DefaultIfEmpty().Max() is var previous && previous != default && occurredAt < previous)
        {
            return ApiProblems.Unprocessable("occurredAt", PlanDateOrderRule, $"occurredAt may not be before the previous version's signature at {previous:yyyy-MM-ddTHH:mm}Z.");
        }

        var zone = await ZoneAsync(db, practiceId, ct);
        var drawnUp = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(draft.DrawnUpAt ?? draft.CreatedAt, zone));
        var signed = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(occurredAt, zone));
        return signed < drawnUp
            ? ApiProblems.Unprocessable("occurredAt", PlanDateOrderRule, $"occurredAt may not be before {drawnUp:yyyy-MM-dd}, the day version {draft.Number} was drawn up.")
            : null;
    }

    private static async Task<Guid?> BillingPractitionerAsync(CarePlansDbContext db, Guid patientId, DateTime at, CancellationToken ct)
        => await db.BillingAssignments.AsNoTracking()
            .Where(a => a.PatientId == patientId && a.EffectiveFrom <= at)
            .OrderByDescending(a => a.EffectiveFrom)
            .Select(a => (Guid?)a.PractitionerId)
            .FirstOrDefaultAsync(ct);

    /// <summary>Each intervention's responsible member must be on the patient's practice roster, whoever the caller is.</summary>
    private static async Task<ProblemHttpResult?> RefuseResponsibleAsync(PlanContent content, Guid practiceId, IPracticeDirectory practices, CancellationToken ct)
    {
        for (var i = 0; i < content.Interventions.Count; i++)
        {
            if (content.Interventions[i].ResponsibleRosterId is { } member
                && await PracticeScope.RefuseMemberAsync(practices, $"interventions[{i}].responsibleRosterId", member, practiceId, ct) is { } refused)
            {
                return refused;
            }
        }

        return null;
    }

    private static void SetETag(HttpContext http, CarePlan plan) => http.Response.Headers.ETag = $"\"{plan.Version}\"";

    private static ProblemHttpResult? CheckIfMatch(HttpContext http, CarePlan plan, bool required)
    {
        var header = http.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return required
                ? ApiProblems.Create(StatusCodes.Status428PreconditionRequired, "If-Match is required.", "If-Match", "IF_MATCH_REQUIRED", $"Changing a care plan requires an If-Match header with the plan's current ETag (now \"{plan.Version}\", as returned by GET /api/careplans/plans/{plan.Id}), so concurrent edits are not lost.")
                : null;
        }

        var tag = header.Trim();
        if (tag == "*")
        {
            return null;
        }

        if (tag.StartsWith("W/", StringComparison.Ordinal))
        {
            tag = tag[2..];
        }

        return int.TryParse(tag.Trim('"'), out var version) && version == plan.Version
            ? null
            : ApiProblems.PreconditionFailed($"The plan changed (current ETag \"{plan.Version}\"); reload and retry.");
    }

    /// <summary>The concurrency token turns a lost race into 412 rather than a silent overwrite.</summary>
    private static async Task<ProblemHttpResult?> SaveOrStaleAsync(CarePlansDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return ApiProblems.PreconditionFailed("The plan was changed by someone else; reload and retry.");
        }
    }

    private static async Task<PlanResponse> ResponseAsync(CarePlansDbContext db, CarePlan plan, CancellationToken ct)
    {
        var versions = await db.Versions.AsNoTracking().Where(v => v.CarePlanId == plan.Id).OrderBy(v => v.Number).ToListAsync(ct);
        var shares = await db.Shares.AsNoTracking().Where(s => s.CarePlanId == plan.Id).OrderBy(s => s.SharedAt).ToListAsync(ct);
        static VersionResponse Full(CarePlanVersion v) => new(v.Number, v.Status, v.CreatedBy, v.CreatedAt, v.SignedBy, v.SignedAt, PlanContent.FromJson(v.Content));
        var latest = versions[^1];
        var active = versions.FirstOrDefault(v => v.Status == PlanStatus.Active);
        return new PlanResponse(
            plan.Id, plan.PatientId, plan.PracticeId, plan.Version, active is null ? latest.Status : PlanStatus.Active, Full(latest), active is null ? null : Full(active),
            versions.Select(v => new VersionSummary(v.Number, v.Status, v.CreatedAt, v.SignedBy, v.SignedAt)).ToList(),
            shares.Select(s => new ShareResponse(s.VersionNumber, s.Method, s.SharedAt, s.SharedBy)).ToList());
    }
}
