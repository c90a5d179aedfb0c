using CcmPlatform.Contracts;
using CcmPlatform.Infrastructure.Hosting;
using CcmPlatform.Infrastructure.Http;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.Patients.Data;
using CcmPlatform.Patients.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Patients.Apis;

public static class PatientsApi
{
    public static IEndpointRouteBuilder MapPatientsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/patients").WithTags("Patients").RequirePracticeScope<PatientsPracticeDirectory>();
        api.RequireRequestLimits();
        api.MapPracticesApi();
        api.MapGet("/patients/{patientId:guid}", GetPatient).RequireAuthorization(Policies.Read).WithSummary("Patient detail: conditions, coverage, consents, enrollments with history, visits, billing practitioners, stays, death. The Location of every record posted under the patient, each listed here by its id.");
        api.MapPost("/patients/{patientId:guid}/coverage", RecordCoverage).RequireAuthorization(Policies.Clinical).WithSummary("Record Medicare Part B coverage (MBI, dates, QMB).")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "mbi is not a Medicare Beneficiary Identifier, partBEnd is before partBStart (R-ELIG-5), occurredAt is in the future, or partBStart or occurredAt is before 1966-07-01 or a Part B date is more than a year ahead (DATE_OUT_OF_RANGE).");
        api.MapPost("/patients/{patientId:guid}/consents", RecordConsent).RequireAuthorization(Policies.Clinical).WithSummary("Record consent with every R-CONS-1 element, or a declined consent.")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "A required disclosure is missing (R-CONS-1), practitionerId is not a practitioner on the roster, the patient is deceased, occurredAt is in the future, or occurredAt is before 2015-01-01 (DATE_OUT_OF_RANGE).");
        api.MapPost("/patients/{patientId:guid}/consents/{consentId:guid}/revoke", RevokeConsent).RequireAuthorization(Policies.Clinical).WithSummary("Revoke a consent; it ends at the end of that month (R-CONS-3).")
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "The consent was already revoked (R-CONS-3).")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "The consent was declined, the revocation is before the consent, or occurredAt is in the future (R-CONS-3).");
        api.MapPost("/patients/{patientId:guid}/enrollments", Enroll).RequireAuthorization(Policies.Clinical).WithSummary("Enroll in CCM, PCM or APCM (needs consent in force for the billing practitioner).")
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "The patient is already enrolled in the program, or in one that excludes it (R-EXCL-4).")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "The patient is deceased, has no billing practitioner (R-ELIG-4), has no consent in force for the billing practitioner (R-CONS-1/2), occurredAt is in the future, or occurredAt is before 2015-01-01 (DATE_OUT_OF_RANGE).");
        api.MapPost("/patients/{patientId:guid}/disenrollments", Disenroll).RequireAuthorization(Policies.Clinical).WithSummary("Disenroll from a program, with a reason.")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "The patient is not enrolled in the program, occurredAt is in the future, or occurredAt is before 2015-01-01 (DATE_OUT_OF_RANGE).");
        api.MapPost("/patients/{patientId:guid}/visits", RecordVisit).RequireAuthorization(Policies.Clinical).WithSummary("Record an initiating visit (optionally with G0506, once per patient).")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "The code is not an initiating visit (R-INIT-1), G0506 is not allowed here (R-INIT-2), endedAt is before startedAt, a time is in the future, practitionerId is not a practitioner on the roster, or startedAt is before 2015-01-01 (DATE_OUT_OF_RANGE).");
        api.MapPost("/patients/{patientId:guid}/billing-practitioner", AssignBillingPractitioner).RequireAuthorization(Policies.Clinical).WithSummary("Assign the billing practitioner from a date; a new consent is then needed (R-CONS-2).")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "practitionerId is not a practitioner on the roster (R-ELIG-4), occurredAt is in the future, or effectiveFrom or occurredAt is before 2015-01-01 or effectiveFrom more than a year ahead (DATE_OUT_OF_RANGE).");
        api.MapPost("/patients/{patientId:guid}/inpatient-stays", RecordInpatientStay).RequireAuthorization(Policies.Clinical).WithSummary("Record a hospital or SNF stay (minutes inside it do not count).")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "dischargedAt is before admittedAt (R-TIME-4), a time is in the future, or admittedAt or occurredAt is before 2015-01-01 (DATE_OUT_OF_RANGE).");
        api.MapPost("/patients/{patientId:guid}/death", RecordDeath).RequireAuthorization(Policies.Clinical).WithSummary("Record a death (date or instant).")
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "A death is already recorded for the patient.")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "The death date or time is in the future (R-FACT-1), or diedAt, deathDate or occurredAt is before 1900-01-01 or the death before the patient's birth date (DATE_OUT_OF_RANGE).");
        return app;
    }

    private static Task<Patient?> LoadAsync(PatientsDbContext db, Guid patientId) => db.Patients
        .Include(p => p.Identifiers)
        .Include(p => p.Conditions)
        .Include(p => p.Encounters)
        .Include(p => p.Coverages)
        .Include(p => p.BillingAssignments)
        .Include(p => p.Consents)
        .Include(p => p.Enrollments).ThenInclude(e => e.History)
        .Include(p => p.Visits)
        .Include(p => p.InpatientStays)
        .Include(p => p.Death)
        .AsSplitQuery()
        .FirstOrDefaultAsync(p => p.Id == patientId);

    private static async Task<Patient> RequirePatientAsync(PatientsDbContext db, Guid patientId)
        => await LoadAsync(db, patientId) ?? throw RuleViolationException.NotFound("patientId", "No such patient.");

    private static async Task<RosterMember> RequirePractitionerAsync(PatientsDbContext db, Guid practiceId, Guid? practitionerId, string field = "practitionerId")
    {
        var id = practitionerId ?? throw RuleViolationException.BadRequest(field, "REQUIRED", $"{field} is required.");
        var member = await db.RosterMembers.FirstOrDefaultAsync(r => r.Id == id && r.PracticeId == practiceId);
        if (member is null || member.Kind != RosterKind.Practitioner)
        {
            throw RuleViolationException.Unprocessable(field, "R-ELIG-4", $"{id} is not a practitioner on this practice's roster.");
        }

        return member;
    }

    public static async Task<Results<Ok<PatientDetail>, ProblemHttpResult>> GetPatient(Guid patientId, PatientsServices s)
    {
        var p = await LoadAsync(s.Db, patientId);
        if (p is null)
        {
            return ApiProblems.NotFound("patientId", "No such patient.");
        }

        var now = s.Now;
        return TypedResults.Ok(new PatientDetail(
            p.Id,
            p.PracticeId,
            p.Name,
            p.GivenName,
            p.FamilyName,
            p.BirthDate,
            p.Sex,
            p.Death is not null,
            p.Death is { } d ? new DeathView(d.Id, d.DiedAt, d.DeathDate, d.OccurredAt, d.RecordedAt) : null,
            p.Identifiers.Select(i => new IdentifierView(i.System, i.Value)).ToArray(),
            p.BillingAssignmentAt(now)?.PractitionerId,
            p.BillingAssignments.OrderBy(a => a.EffectiveFrom).Select(a => new AssignmentView(a.Id, a.PractitionerId, a.EffectiveFrom, a.OccurredAt, a.RecordedAt)).ToArray(),
            p.Conditions.OrderBy(c => c.OnsetDate).ThenBy(c => c.Display, StringComparer.Ordinal)
                .Select(c => new ConditionView(c.Id, c.SnomedCode, c.Display, c.Icd10Code, c.ChronicGroup, c.Active, c.OnsetDate, c.AbatementDate)).ToArray(),
            p.Coverages.OrderBy(c => c.PartBStart).Select(c => new CoverageView(c.Id, c.Payer, c.Mbi, c.PartBStart, c.PartBEnd, c.Qmb, c.OccurredAt, c.RecordedAt)).ToArray(),
            p.Consents.OrderBy(c => c.OccurredAt).Select(c => new ConsentView(c.Id, c.Program, c.PractitionerId, c.Method, c.ObtainedBy, c.InformedCostSharing, c.InformedRightToStop,
                c.InformedSinglePractitioner, c.InformedElectronicSharing, c.Declined, c.OccurredAt, c.RecordedAt, c.RevokedAt, c.RevocationEffectiveAt, c.RevocationReason)).ToArray(),
            p.Enrollments.OrderBy(e => e.Program).Select(e => new EnrollmentView(e.Id, e.Program, e.State,
                EnrollmentStateChange.InOrder(e.History).Select(h => new StateChangeView(h.From, h.To, h.ChangedBy, h.OccurredAt, h.RecordedAt, h.Reason)).ToArray())).ToArray(),
            p.Visits.OrderBy(v => v.StartedAt).Select(v => new VisitView(v.Id, v.Code, v.PractitionerId, v.StartedAt, v.EndedAt, v.Initiating, v.WithG0506, v.RecordedAt)).ToArray(),
            p.Encounters.OrderBy(e => e.StartedAt).Select(e => new EncounterView(e.Id, e.ExternalId, e.ClassCode, e.Code, e.Display, e.StartedAt, e.EndedAt, e.ExternalPractitionerId)).ToArray(),
            p.InpatientStays.OrderBy(i => i.AdmittedAt).Select(i => new StayView(i.Id, i.Facility, i.AdmittedAt, i.DischargedAt, i.RecordedAt)).ToArray()));
    }

    public static async Task<Results<Created<IdResponse>, ProblemHttpResult>> RecordCoverage(Guid patientId, RecordCoverageRequest request, HttpContext http, PatientsServices s)
    {
        var patient = await RequirePatientAsync(s.Db, patientId);
        var now = s.Now;
        var payer = Facts.Text(request.Payer, "payer");
        var mbi = Facts.Text(request.Mbi, "mbi", 20);
        if (!Mbi.IsValid(mbi))
        {
            return ApiProblems.Unprocessable("mbi", "R-ELIG-5", $"'{mbi}' is not a Medicare Beneficiary Identifier (11 characters, CMS format).");
        }

        var start = request.PartBStart ?? throw RuleViolationException.BadRequest("partBStart", "REQUIRED", "partBStart is required.");
        PlausibleDates.NotBeforePartB(start, "partBStart");
        Facts.NotFarFuture(start, now, "partBStart");
        if (request.PartBEnd is { } partBEnd)
        {
            Facts.NotFarFuture(partBEnd, now, "partBEnd");
        }

        if (request.PartBEnd is { } end && end < start)
        {
            return ApiProblems.Unprocessable("partBEnd", "R-ELIG-5", "partBEnd is before partBStart.");
        }

        var occurredAt = Facts.OccurredAt(request.OccurredAt, now);
        PlausibleDates.NotBeforePartB(occurredAt, "occurredAt");
        var coverage = new Coverage
        {
            Id = Guid.CreateVersion7(now),
            PatientId = patient.Id,
            Payer = payer,
            Mbi = Mbi.Normalize(mbi),
            PartBStart = start,
            PartBEnd = request.PartBEnd,
            Qmb = request.Qmb,
            OccurredAt = occurredAt,
            RecordedAt = now,
            RecordedBy = http.User.RosterId(),
        };
        patient.Coverages.Add(coverage);
        s.Db.Outbox(new CoverageRecorded(patient.PracticeId, patient.Id, coverage.Id, coverage.Payer, coverage.Mbi, coverage.PartBStart, coverage.PartBEnd, coverage.Qmb, occurredAt, now), now);
        await s.Db.SaveChangesAsync();
        return TypedResults.Created($"/api/patients/patients/{patient.Id}", new IdResponse(coverage.Id));
    }

    public static async Task<Results<Created<IdResponse>, ProblemHttpResult>> RecordConsent(Guid patientId, RecordConsentRequest request, HttpContext http, PatientsServices s)
    {
        var patient = await RequirePatientAsync(s.Db, patientId);
        var now = s.Now;
        var program = request.Program ?? throw RuleViolationException.BadRequest("program", "REQUIRED", "program is required (Ccm, Pcm, Apcm …).");
        var practitioner = await RequirePractitionerAsync(s.Db, patient.PracticeId, request.PractitionerId);
        var method = Facts.Text(request.Method, "method", 50);
        var occurredAt = Facts.OccurredAt(request.OccurredAt, now);
        PlausibleDates.NotBeforeCcm(occurredAt, "occurredAt");
        if (!request.Declined)
        {
            var missing = ConsentRules.MissingDisclosures(request.InformedCostSharing, request.InformedRightToStop, request.InformedSinglePractitioner, request.InformedElectronicSharing);
            if (missing.Count > 0)
            {
                return ApiProblems.Unprocessable(missing[0], "R-CONS-1", $"Consent needs the patient to have been told: {string.Join(", ", missing)} must be true.");
            }

            if (patient.Death is not null)
            {
                return ApiProblems.Unprocessable("patientId", "PATIENT_DECEASED", "The patient is deceased; consent cannot be recorded.");
            }
        }

        var caller = http.User.RosterId();
        var consent = new Consent
        {
            Id = Guid.CreateVersion7(now),
            PatientId = patient.Id,
            Program = program,
            PractitionerId = practitioner.Id,
            Method = method,
            ObtainedBy = caller,
            InformedCostSharing = request.InformedCostSharing,
            InformedRightToStop = request.InformedRightToStop,
            InformedSinglePractitioner = request.InformedSinglePractitioner,
            InformedElectronicSharing = request.InformedElectronicSharing,
            Declined = request.Declined,
            OccurredAt = occurredAt,
            RecordedAt = now,
        };
        patient.Consents.Add(consent);
        if (request.Declined)
        {
            s.Db.Outbox(new ConsentDeclined(patient.PracticeId, patient.Id, consent.Id, program, occurredAt, now), now);
            var enrollment = EnrollmentFor(patient, program, now);
            if (enrollment.State != EnrollmentState.Enrolled && enrollment.State != EnrollmentState.Deceased)
            {
                enrollment.MoveTo(EnrollmentState.Declined, caller, occurredAt, now, "The patient declined consent.");
            }
        }
        else
        {
            s.Db.Outbox(new ConsentRecorded(patient.PracticeId, patient.Id, consent.Id, program, practitioner.Id, method, caller, occurredAt, now), now);
        }

        await s.Db.SaveChangesAsync();
        return TypedResults.Created($"/api/patients/patients/{patient.Id}", new IdResponse(consent.Id));
    }

    public static async Task<Results<Ok<RevocationResponse>, ProblemHttpResult>> RevokeConsent(Guid patientId, Guid consentId, RevokeConsentRequest request, HttpContext http, PatientsServices s)
    {
        var patient = await RequirePatientAsync(s.Db, patientId);
        var consent = patient.Consents.FirstOrDefault(c => c.Id == consentId);
        if (consent is null)
        {
            return ApiProblems.NotFound("consentId", "No such consent for this patient.");
        }

        if (consent.Declined)
        {
            return ApiProblems.Unprocessable("consentId", "R-CONS-3", "A declined consent cannot be revoked.");
        }

        if (consent.RevokedAt is not null)
        {
            return ApiProblems.Conflict("consentId", "R-CONS-3", $"The consent was already revoked at {consent.RevokedAt:O}.");
        }

        var now = s.Now;
        var occurredAt = Facts.OccurredAt(request.OccurredAt, now);
        if (occurredAt < consent.OccurredAt)
        {
            return ApiProblems.Unprocessable("occurredAt", "R-CONS-3", "The revocation is before the consent was given.");
        }

        var practice = await s.Db.Practices.FirstAsync(p => p.Id == patient.PracticeId);
        var effective = ConsentRules.RevocationEffectiveAt(occurredAt, TimeZoneInfo.FindSystemTimeZoneById(practice.TimeZone));
        var caller = http.User.RosterId();
        consent.RevokedAt = occurredAt;
        consent.RevocationEffectiveAt = effective;
        consent.RevocationReason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();
        consent.RevocationRecordedAt = now;
        consent.RevokedBy = caller;
        s.Db.Outbox(new ConsentRevoked(patient.PracticeId, patient.Id, consent.Id, consent.Program, occurredAt, now), now);

        // R-CONS-3: the month of the revocation stays billable; enrollment ends when the revocation takes effect.
        var enrollment = patient.Enrollments.FirstOrDefault(e => e.Program == consent.Program && e.State == EnrollmentState.Enrolled);
        if (enrollment is not null && !HasConsentInForce(patient, consent.Program, effective, exclude: consent.Id))
        {
            var reason = $"Consent revoked{(consent.RevocationReason is null ? string.Empty : ": " + consent.RevocationReason)}; effective at the end of the month (R-CONS-3).";
            enrollment.MoveTo(EnrollmentState.Disenrolled, caller, effective, now, reason);
            s.Db.Outbox(new PatientDisenrolled(patient.PracticeId, patient.Id, consent.Program, reason, effective, now), now);
        }

        await s.Db.SaveChangesAsync();
        return TypedResults.Ok(new RevocationResponse(consent.Id, occurredAt, effective));
    }

    private static bool HasConsentInForce(Patient patient, CareProgram program, DateTime instant, Guid? exclude = null)
    {
        var billing = patient.BillingAssignmentAt(instant);
        return billing is not null && patient.Consents.Any(c =>
            c.Id != exclude && c.Program == program && c.PractitionerId == billing.PractitionerId
            && ConsentRules.Covers(c.Declined, c.OccurredAt, c.RevocationEffectiveAt, instant));
    }

    public static async Task<Results<Created<EnrollmentView>, ProblemHttpResult>> Enroll(Guid patientId, EnrollRequest request, HttpContext http, PatientsServices s)
    {
        var patient = await RequirePatientAsync(s.Db, patientId);
        var now = s.Now;
        var program = request.Program ?? throw RuleViolationException.BadRequest("program", "REQUIRED", "program is required (Ccm, Pcm, Apcm …).");
        var occurredAt = Facts.OccurredAt(request.OccurredAt, now);
        PlausibleDates.NotBeforeCcm(occurredAt, "occurredAt");
        if (patient.Death is not null)
        {
            return ApiProblems.Unprocessable("patientId", "PATIENT_DECEASED", "The patient is deceased and is never enrolled.");
        }

        var existing = patient.Enrollments.FirstOrDefault(e => e.Program == program);
        if (existing?.State == EnrollmentState.Enrolled)
        {
            return ApiProblems.Conflict("program", "ENROLLMENT", $"The patient is already enrolled in {program}.");
        }

        // R-EXCL-4: at most one of CCM/PCM/APCM at a time.
        CareProgram[] exclusive = [CareProgram.Ccm, CareProgram.Pcm, CareProgram.Apcm];
        if (exclusive.Contains(program) && patient.Enrollments.FirstOrDefault(e => e.Program != program && exclusive.Contains(e.Program) && e.State == EnrollmentState.Enrolled) is { } other)
        {
            return ApiProblems.Conflict("program", "R-EXCL-4", $"The patient is enrolled in {other.Program}; disenroll first (CCM, PCM and APCM are mutually exclusive).");
        }

        var billing = patient.BillingAssignmentAt(occurredAt);
        if (billing is null)
        {
            return ApiProblems.Unprocessable("program", "R-ELIG-4", "The patient has no billing practitioner at occurredAt.");
        }

        if (!HasConsentInForce(patient, program, occurredAt))
        {
            var forOther = patient.Consents.Any(c => c.Program == program && c.PractitionerId != billing.PractitionerId
                && ConsentRules.Covers(c.Declined, c.OccurredAt, c.RevocationEffectiveAt, occurredAt));
            return forOther
                ? ApiProblems.Unprocessable("program", "R-CONS-2", $"The {program} consent on file is for another practitioner; the billing practitioner changed, so new consent is needed.")
                : ApiProblems.Unprocessable("program", "R-CONS-1", $"No {program} consent in force for the billing practitioner at {occurredAt:O}; record consent first.");
        }

        var caller = http.User.RosterId();
        var enrollment = EnrollmentFor(patient, program, now);
        enrollment.MoveTo(EnrollmentState.Enrolled, caller, occurredAt, now, string.IsNullOrWhiteSpace(request.Reason) ? "Enrolled by clinician." : request.Reason.Trim());
        s.Db.Outbox(new PatientEnrolled(patient.PracticeId, patient.Id, program, occurredAt, now), now);
        await s.Db.SaveChangesAsync();
        return TypedResults.Created($"/api/patients/patients/{patient.Id}", ToView(enrollment));
    }

    public static async Task<Results<Ok<EnrollmentView>, ProblemHttpResult>> Disenroll(Guid patientId, DisenrollRequest request, HttpContext http, PatientsServices s)
    {
        var patient = await RequirePatientAsync(s.Db, patientId);
        var now = s.Now;
        var program = request.Program ?? throw RuleViolationException.BadRequest("program", "REQUIRED", "program is required.");
        var occurredAt = Facts.OccurredAt(request.OccurredAt, now);
        PlausibleDates.NotBeforeCcm(occurredAt, "occurredAt");
        var reason = Facts.Text(request.Reason, "reason", 1000);
        var enrollment = patient.Enrollments.FirstOrDefault(e => e.Program == program && e.State == EnrollmentState.Enrolled);
        if (enrollment is null)
        {
            return ApiProblems.Unprocessable("program", "ENROLLMENT", $"The patient is not enrolled in {program}.");
        }

        enrollment.MoveTo(EnrollmentState.Disenrolled, http.User.RosterId(), occurredAt, now, reason);
        s.Db.Outbox(new PatientDisenrolled(patient.PracticeId, patient.Id, program, reason, occurredAt, now), now);
        await s.Db.SaveChangesAsync();
        return TypedResults.Ok(ToView(enrollment));
    }

    public static async Task<Results<Created<IdResponse>, ProblemHttpResult>> RecordVisit(Guid patientId, RecordVisitRequest request, HttpContext http, PatientsServices s)
    {
        var patient = await RequirePatientAsync(s.Db, patientId);
        var now = s.Now;
        var code = Facts.Text(request.Code, "code", 10).ToUpperInvariant();
        var practitioner = await RequirePractitionerAsync(s.Db, patient.PracticeId, request.PractitionerId);
        var started = Facts.OccurredAt(request.StartedAt, now, "startedAt");
        PlausibleDates.NotBeforeCcm(started, "startedAt");
        var ended = Facts.OccurredAt(request.EndedAt, now, "endedAt");
        if (ended < started)
        {
            return ApiProblems.Unprocessable("endedAt", "R-FACT-1", "endedAt is before startedAt.");
        }

        if (request.Initiating && !VisitCodes.Initiating.Contains(code))
        {
            return ApiProblems.Unprocessable("code", "R-INIT-1", $"{code} cannot be an initiating visit: use 99202–99205, 99212–99215, G0438, G0439 or G0402.");
        }

        if (request.WithG0506)
        {
            if (!request.Initiating)
            {
                return ApiProblems.Unprocessable("withG0506", "R-INIT-2", "G0506 is billed only with the initiating visit.");
            }

            if (patient.Visits.Any(v => v.WithG0506))
            {
                return ApiProblems.Unprocessable("withG0506", "R-INIT-2", "G0506 was already recorded for this patient; it may be billed once per patient.");
            }
        }

        var visit = new Visit
        {
            Id = Guid.CreateVersion7(now),
            PatientId = patient.Id,
            Code = code,
            PractitionerId = practitioner.Id,
            StartedAt = started,
            EndedAt = ended,
            Initiating = request.Initiating,
            WithG0506 = request.WithG0506,
            OccurredAt = started,
            RecordedAt = now,
            RecordedBy = http.User.RosterId(),
        };
        patient.Visits.Add(visit);
        if (visit.Initiating)
        {
            s.Db.Outbox(new InitiatingVisitRecorded(patient.PracticeId, patient.Id, visit.Id, code, practitioner.Id, started, ended, visit.WithG0506, now), now);
        }
        else
        {
            s.Db.Outbox(new VisitHistoryRecorded(patient.PracticeId, patient.Id, visit.Id, code, practitioner.Npi is null ? null : $"npi:{practitioner.Npi}", started), now);
        }

        try
        {
            await s.Db.SaveChangesAsync();
        }
        catch (DbUpdateException) when (visit.WithG0506)
        {
            // The filtered unique index caught a concurrent second G0506.
            return ApiProblems.Unprocessable("withG0506", "R-INIT-2", "G0506 was already recorded for this patient; it may be billed once per patient.");
        }

        return TypedResults.Created($"/api/patients/patients/{patient.Id}", new IdResponse(visit.Id));
    }

    public static async Task<Results<Created<IdResponse>, ProblemHttpResult>> AssignBillingPractitioner(Guid patientId, AssignBillingPractitionerRequest request, HttpContext http, PatientsServices s)
    {
        var patient = await RequirePatientAsync(s.Db, patientId);
        var now = s.Now;
        var practitioner = await RequirePractitionerAsync(s.Db, patient.PracticeId, request.PractitionerId);
        var occurredAt = Facts.OccurredAt(request.OccurredAt, now);
        PlausibleDates.NotBeforeCcm(occurredAt, "occurredAt");
        var effectiveFrom = Facts.Required(request.EffectiveFrom, "effectiveFrom");
        // An assignment before CCM began bears on no CCM month, and one dated before the import's own (2000-01-01) sorts
        // first and never takes effect: a mistyped year would answer 201 and change nothing.
        PlausibleDates.NotBeforeCcm(effectiveFrom, "effectiveFrom");
        Facts.NotFarFuture(effectiveFrom, now, "effectiveFrom");
        var caller = http.User.RosterId();
        var assignment = new BillingPractitionerAssignment
        {
            Id = Guid.CreateVersion7(now),
            PatientId = patient.Id,
            PractitionerId = practitioner.Id,
            EffectiveFrom = effectiveFrom,
            OccurredAt = occurredAt,
            RecordedAt = now,
            RecordedBy = caller,
        };
        patient.BillingAssignments.Add(assignment);
        s.Db.Outbox(new BillingPractitionerAssigned(patient.PracticeId, patient.Id, assignment.Id, practitioner.Id, effectiveFrom, occurredAt, now), now);

        // R-CONS-2: consent is tied to the practitioner; an enrollment not covered for the new one waits for new consent.
        foreach (var enrollment in patient.Enrollments.Where(e => e.State == EnrollmentState.Enrolled))
        {
            var covered = patient.Consents.Any(c => c.Program == enrollment.Program && c.PractitionerId == practitioner.Id
                && ConsentRules.Covers(c.Declined, c.OccurredAt, c.RevocationEffectiveAt, effectiveFrom));
            if (!covered)
            {
                enrollment.MoveTo(EnrollmentState.ConsentPending, caller, effectiveFrom, now, "Billing practitioner changed; new consent needed (R-CONS-2).");
            }
        }

        await s.Db.SaveChangesAsync();
        return TypedResults.Created($"/api/patients/patients/{patient.Id}", new IdResponse(assignment.Id));
    }

    public static async Task<Results<Created<IdResponse>, ProblemHttpResult>> RecordInpatientStay(Guid patientId, RecordInpatientStayRequest request, PatientsServices s)
    {
        var patient = await RequirePatientAsync(s.Db, patientId);
        var now = s.Now;
        var facility = Facts.Text(request.Facility, "facility", 20) switch
        {
            var f when f.Equals("Hospital", StringComparison.OrdinalIgnoreCase) => "Hospital",
            var f when f.Equals("Snf", StringComparison.OrdinalIgnoreCase) => "Snf",
            var f => throw RuleViolationException.BadRequest("facility", "R-TIME-4", $"facility '{f}' must be Hospital or Snf."),
        };
        var admitted = Facts.OccurredAt(request.AdmittedAt, now, "admittedAt");
        // A mistyped admission year with no discharge would take every minute since out of billing (R-TIME-4).
        PlausibleDates.NotBeforeCcm(admitted, "admittedAt");
        DateTime? discharged = request.DischargedAt is { } d ? Facts.OccurredAt(d, now, "dischargedAt") : null;
        if (discharged < admitted)
        {
            return ApiProblems.Unprocessable("dischargedAt", "R-TIME-4", "dischargedAt is before admittedAt.");
        }

        var occurredAt = request.OccurredAt is { } o ? Facts.OccurredAt(o, now) : discharged ?? admitted;
        PlausibleDates.NotBeforeCcm(occurredAt, "occurredAt");
        var stay = new InpatientStay { Id = Guid.CreateVersion7(now), PatientId = patient.Id, Facility = facility, AdmittedAt = admitted, DischargedAt = discharged, OccurredAt = occurredAt, RecordedAt = now };
        patient.InpatientStays.Add(stay);
        s.Db.Outbox(new InpatientStayRecorded(patient.PracticeId, patient.Id, stay.Id, facility, admitted, discharged, now), now);
        await s.Db.SaveChangesAsync();
        return TypedResults.Created($"/api/patients/patients/{patient.Id}", new IdResponse(stay.Id));
    }

    public static async Task<Results<Created<IdResponse>, ProblemHttpResult>> RecordDeath(Guid patientId, RecordDeathRequest request, HttpContext http, PatientsServices s)
    {
        var patient = await RequirePatientAsync(s.Db, patientId);
        var now = s.Now;
        if (request.DiedAt is null && request.DeathDate is null)
        {
            return ApiProblems.BadRequest("diedAt", "REQUIRED", "diedAt or deathDate is required.");
        }

        if (patient.Death is not null)
        {
            return ApiProblems.Conflict("patientId", "R-FACT-1", "A death is already recorded for this patient.");
        }

        DateTime? diedAt = request.DiedAt is { } at ? Facts.OccurredAt(at, now, "diedAt") : null;
        if (diedAt is { } instant)
        {
            PlausibleDates.NotBeforeLifeFacts(instant, "diedAt");
        }

        var deathDate = request.DeathDate ?? DateOnly.FromDateTime(diedAt!.Value);
        if (deathDate > DateOnly.FromDateTime(now))
        {
            return ApiProblems.Unprocessable("deathDate", "R-FACT-1", "deathDate is in the future.");
        }

        PlausibleDates.NotBeforeLifeFacts(deathDate, "deathDate");
        if (deathDate < patient.BirthDate)
        {
            var field = request.DeathDate is null ? "diedAt" : "deathDate";
            return ApiProblems.Unprocessable(field, PlausibleDates.Rule, $"{field} {deathDate:yyyy-MM-dd} is before the patient's birth date {patient.BirthDate:yyyy-MM-dd}.");
        }

        var occurredAt = request.OccurredAt is { } o ? Facts.OccurredAt(o, now) : diedAt ?? deathDate.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        PlausibleDates.NotBeforeLifeFacts(occurredAt, "occurredAt");
        patient.Death = new Death { Id = Guid.CreateVersion7(now), PatientId = patient.Id, DiedAt = diedAt, DeathDate = deathDate, OccurredAt = occurredAt, RecordedAt = now };
        s.Db.Outbox(new PatientDied(patient.PracticeId, patient.Id, diedAt, deathDate, now), now);
        MarkDeceased(s.Db, patient, http.User.RosterId(), occurredAt, now);
        await s.Db.SaveChangesAsync();
        return TypedResults.Created($"/api/patients/patients/{patient.Id}", new IdResponse(patient.Death.Id));
    }

    /// <summary>Every enrollment ends at death; enrolled ones are announced as disenrolled.</summary>
    public static void MarkDeceased(PatientsDbContext db, Patient patient, Guid by, DateTime occurredAt, DateTime now)
    {
        foreach (var enrollment in patient.Enrollments.Where(e => e.State != EnrollmentState.Deceased))
        {
            if (enrollment.State == EnrollmentState.Enrolled)
            {
                db.Outbox(new PatientDisenrolled(patient.PracticeId, patient.Id, enrollment.Program, "Patient died.", occurredAt, now), now);
            }

            enrollment.MoveTo(EnrollmentState.Deceased, by, occurredAt, now, "Patient died.");
        }
    }

    private static Enrollment EnrollmentFor(Patient patient, CareProgram program, DateTime now)
    {
        var enrollment = patient.Enrollments.FirstOrDefault(e => e.Program == program);
        if (enrollment is null)
        {
            enrollment = new Enrollment { Id = Guid.CreateVersion7(now), PatientId = patient.Id, Program = program };
            patient.Enrollments.Add(enrollment);
        }

        return enrollment;
    }

    private static EnrollmentView ToView(Enrollment e) => new(e.Id, e.Program, e.State,
        EnrollmentStateChange.InOrder(e.History).Select(h => new StateChangeView(h.From, h.To, h.ChangedBy, h.OccurredAt, h.RecordedAt, h.Reason)).ToArray());
}
