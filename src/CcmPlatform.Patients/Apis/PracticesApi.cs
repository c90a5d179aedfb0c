using System.Security.Claims;
using CcmPlatform.Contracts;
using CcmPlatform.Infrastructure.Hosting;
using CcmPlatform.Infrastructure.Http;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.Patients.Data;
using CcmPlatform.Patients.Domain;
using CcmPlatform.Patients.Import;
using CcmPlatform.Terminology;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Patients.Apis;

public sealed class PatientsServices(PatientsDbContext db, TimeProvider time)
{
    public PatientsDbContext Db { get; } = db;

    public DateTime Now => time.GetUtcNow().UtcDateTime;
}

public static class PracticesApi
{
    public static RouteGroupBuilder MapPracticesApi(this RouteGroupBuilder api)
    {
        api.MapGet("", ListPractices).RequireAuthorization(Policies.Read)
            .WithSummary("The practices this platform serves: the entry point for a front end.");
        api.MapPost("/practices", CreatePractice).RequireAuthorization(Policies.Admin).WithSummary("Create a practice (IANA time zone; unknown zone → 422). Admin only.")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "timeZone is not an IANA time zone (R-TIME-2).");
        api.MapGet("/practices/{practiceId:guid}", GetPractice).RequireAuthorization(Policies.Read).WithSummary("One practice.");
        api.MapPost("/practices/{practiceId:guid}/roster", RegisterRosterMember).RequireAuthorization(Policies.Admin).WithSummary("Add a staff member or practitioner to the roster (practitioners need a valid NPI). Admin only.")
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "The NPI is already on this practice's roster.")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "A practitioner has no NPI or an invalid one (R-ELIG-4), a non-practitioner has Qualifying APM Participant years, or activeFrom is before 2015-01-01 or more than a year ahead (DATE_OUT_OF_RANGE).");
        api.MapGet("/practices/{practiceId:guid}/roster", GetRoster).RequireAuthorization(Policies.Read).WithSummary("The practice roster.");
        // Named rosterId so the practice scope resolves the member's own practice, whatever practiceId the path names.
        api.MapGet("/practices/{practiceId:guid}/roster/{rosterId:guid}", GetRosterMember).RequireAuthorization(Policies.Read).WithSummary("One roster member: the Location an added member answers with.")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "The member does not exist, is on another practice's roster than the path names, or the practice is not the caller's.");
        api.MapPost("/practices/{practiceId:guid}/import", Import)
            .RequireAuthorization(Policies.Clinical)
            .Accepts<string>("application/fhir+json", "application/json")
            .WithBodyLimit(RequestLimits.MaxImportBodyBytes)
            .WithSummary("Import a Synthea FHIR R4 bundle: patient, conditions (SNOMED → ICD-10), encounters, medications. Idempotent per Synthea patient.")
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "The same patient is being imported concurrently; retry.")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "The practice has no practitioner on its roster to become the billing practitioner (R-ELIG-4), Patient.birthDate or Patient.deceasedDateTime is in the future (R-FACT-1), or either is before 1900-01-01 (DATE_OUT_OF_RANGE).");
        api.MapGet("/practices/{practiceId:guid}/patients", ListPatients).RequireAuthorization(Policies.Read).WithSummary("Patients of a practice with billing practitioner and enrollment.");
        api.MapGet("/practices/{practiceId:guid}/eligibility", Eligibility).RequireAuthorization(Policies.Read).WithSummary("Eligibility screening as of a date (R-ELIG-2): a suggestion with reasons; a clinician confirms.")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "asOf is before 2015-01-01 or more than a year ahead (DATE_OUT_OF_RANGE).");
        return api;
    }

    public static async Task<Results<Created<PracticeResponse>, ProblemHttpResult>> CreatePractice(CreatePracticeRequest request, PatientsServices s)
    {
        var name = Facts.Text(request.Name, "name");
        var zoneId = Facts.Text(request.TimeZone, "timeZone", 100);
        if (!IsIanaZone(zoneId))
        {
            return ApiProblems.Unprocessable("timeZone", "R-TIME-2", $"'{zoneId}' is not an IANA time zone (e.g. America/New_York).");
        }

        var now = s.Now;
        var practice = new Practice { Id = Guid.CreateVersion7(now), Name = name, TimeZone = zoneId, WaivesCoinsurance = request.WaivesCoinsurance, RecordedAt = now };
        s.Db.Practices.Add(practice);
        s.Db.Outbox(new PracticeCreated(practice.Id, practice.Name, practice.TimeZone, practice.WaivesCoinsurance), now);
        await s.Db.SaveChangesAsync();
        return TypedResults.Created($"/api/patients/practices/{practice.Id}", ToResponse(practice));
    }

    public static async Task<Ok<PracticeResponse[]>> ListPractices(ClaimsPrincipal user, PatientsServices s)
    {
        // A practice-scoped caller sees only its own practice (docs/adr/0005, "Practice scope").
        var query = s.Db.Practices.AsNoTracking();
        if (PracticeScope.ScopeOf(user) is { } scope)
        {
            query = query.Where(p => p.Id == scope);
        }

        var practices = await query.OrderBy(p => p.Name).ThenBy(p => p.Id).Take(500).ToListAsync();
        return TypedResults.Ok(practices.Select(ToResponse).ToArray());
    }

    public static async Task<Results<Ok<PracticeResponse>, ProblemHttpResult>> GetPractice(Guid practiceId, PatientsServices s)
    {
        var practice = await s.Db.Practices.AsNoTracking().FirstOrDefaultAsync(p => p.Id == practiceId);
        return practice is null ? ApiProblems.NotFound("practiceId", "No such practice.") : TypedResults.Ok(ToResponse(practice));
    }

    public static async Task<Results<Created<RosterMemberResponse>, ProblemHttpResult>> RegisterRosterMember(Guid practiceId, RegisterRosterMemberRequest request, PatientsServices s)
    {
        if (!await s.Db.Practices.AnyAsync(p => p.Id == practiceId))
        {
            return ApiProblems.NotFound("practiceId", "No such practice.");
        }

        var displayName = Facts.Text(request.DisplayName, "displayName");
        var kind = request.Kind ?? throw RuleViolationException.BadRequest("kind", "REQUIRED", "kind is required: ClinicalStaff, NonClinical or Practitioner.");
        var credential = Facts.Text(request.Credential, "credential", 50);
        var activeFrom = request.ActiveFrom ?? throw RuleViolationException.BadRequest("activeFrom", "REQUIRED", "activeFrom is required.");
        PlausibleDates.NotBeforeCcm(activeFrom, "activeFrom");
        Facts.NotFarFuture(activeFrom, s.Now, "activeFrom");
        var npi = string.IsNullOrWhiteSpace(request.Npi) ? null : request.Npi.Trim();
        if (kind == RosterKind.Practitioner && npi is null)
        {
            return ApiProblems.Unprocessable("npi", "R-ELIG-4", "A practitioner needs an NPI.");
        }

        if (npi is not null && !Npi.IsValid(npi))
        {
            return ApiProblems.Unprocessable("npi", "R-ELIG-4", $"'{npi}' is not a valid NPI: 10 digits with a Luhn check digit over 80840 and the first 9 digits.");
        }

        if (npi is not null && await s.Db.RosterMembers.AnyAsync(r => r.PracticeId == practiceId && r.Npi == npi))
        {
            return ApiProblems.Conflict("npi", "R-ELIG-4", $"NPI {npi} is already on this practice's roster.");
        }

        var years = (request.QualifyingApmParticipantYears ?? []).Distinct().Order().ToArray();
        if (years.Any(y => y is < 2000 or > 2100))
        {
            return ApiProblems.BadRequest("qualifyingApmParticipantYears", "R-FEE-1", "Years must be between 2000 and 2100.");
        }

        if (years.Length > 0 && kind != RosterKind.Practitioner)
        {
            return ApiProblems.Unprocessable("qualifyingApmParticipantYears", "R-FEE-1", "Only practitioners can be Qualifying APM Participants.");
        }

        var now = s.Now;
        var member = new RosterMember
        {
            Id = Guid.CreateVersion7(now),
            PracticeId = practiceId,
            DisplayName = displayName,
            Kind = kind,
            Credential = credential,
            Npi = npi,
            PractitionerType = string.IsNullOrWhiteSpace(request.PractitionerType) ? null : request.PractitionerType.Trim(),
            ActiveFrom = activeFrom,
            QualifyingApmParticipantYears = string.Join(',', years),
            RecordedAt = now,
        };
        s.Db.RosterMembers.Add(member);
        s.Db.Outbox(
            new RosterMemberRegistered(practiceId, member.Id, member.DisplayName, member.Kind, member.Credential, member.Npi, member.PractitionerType, member.ActiveFrom, years.Select(y => new DateOnly(y, 1, 1)).ToArray()),
            now);
        await s.Db.SaveChangesAsync();
        return TypedResults.Created($"/api/patients/practices/{practiceId}/roster/{member.Id}", ToResponse(member));
    }

    public static async Task<Results<Ok<RosterMemberResponse[]>, ProblemHttpResult>> GetRoster(Guid practiceId, PatientsServices s)
    {
        if (!await s.Db.Practices.AnyAsync(p => p.Id == practiceId))
        {
            return ApiProblems.NotFound("practiceId", "No such practice.");
        }

        var members = await s.Db.RosterMembers.AsNoTracking().Where(r => r.PracticeId == practiceId).ToListAsync();
        return TypedResults.Ok(members.OrderBy(m => m.DisplayName, StringComparer.Ordinal).Select(ToResponse).ToArray());
    }

    public static async Task<Results<Ok<RosterMemberResponse>, ProblemHttpResult>> GetRosterMember(Guid practiceId, Guid rosterId, PatientsServices s)
    {
        var member = await s.Db.RosterMembers.AsNoTracking().FirstOrDefaultAsync(r => r.Id == rosterId && r.PracticeId == practiceId);
        return member is null ? ApiProblems.NotFound("rosterId", $"No member {rosterId} on this practice's roster.") : TypedResults.Ok(ToResponse(member));
    }

    public static async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> Import(Guid practiceId, HttpRequest request, HttpContext http, PatientsServices s, SyntheaImport importer)
    {
        using var reader = new StreamReader(request.Body);
        var json = await reader.ReadToEndAsync(http.RequestAborted);
        var result = await importer.ImportAsync(practiceId, json, http.User.RosterId(), http.RequestAborted);
        return TypedResults.Ok(result);
    }

    public static async Task<Results<Ok<PatientSummary[]>, ProblemHttpResult>> ListPatients(Guid practiceId, PatientsServices s)
    {
        if (!await s.Db.Practices.AnyAsync(p => p.Id == practiceId))
        {
            return ApiProblems.NotFound("practiceId", "No such practice.");
        }

        var now = s.Now;
        var patients = await s.Db.Patients.AsNoTracking()
            .Where(p => p.PracticeId == practiceId)
            .Include(p => p.Death)
            .Include(p => p.BillingAssignments)
            .Include(p => p.Enrollments)
            .AsSplitQuery()
            .ToListAsync();
        return TypedResults.Ok(patients
            .OrderBy(p => p.FamilyName, StringComparer.Ordinal).ThenBy(p => p.GivenName, StringComparer.Ordinal)
            .Select(p => new PatientSummary(
                p.Id,
                p.Name,
                p.BirthDate,
                p.Death is not null,
                p.BillingAssignmentAt(now)?.PractitionerId,
                CurrentEnrollment(p)))
            .ToArray());
    }

    /// <summary>The enrollment a list shows: an active one first, else the latest change.</summary>
    private static EnrollmentSummary? CurrentEnrollment(Patient p) => p.Enrollments
        .OrderByDescending(e => e.State == EnrollmentState.Enrolled)
        .ThenByDescending(e => e.ChangedAt)
        .Select(e => new EnrollmentSummary(e.Program, e.State))
        .FirstOrDefault();

    /// <summary>R-ELIG-2/3 screening as of a date; deceased patients are never suggested; Part B in force is reported (R-ELIG-5).</summary>
    public static async Task<Results<Ok<EligibilityRow[]>, ProblemHttpResult>> Eligibility(Guid practiceId, string? asOf, PatientsServices s)
    {
        var practice = await s.Db.Practices.AsNoTracking().FirstOrDefaultAsync(p => p.Id == practiceId);
        if (practice is null)
        {
            return ApiProblems.NotFound("practiceId", "No such practice.");
        }

        DateOnly date;
        if (string.IsNullOrWhiteSpace(asOf))
        {
            date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(s.Now, TimeZoneInfo.FindSystemTimeZoneById(practice.TimeZone)));
        }
        else if (!DateOnly.TryParseExact(asOf, "yyyy-MM-dd", out date))
        {
            return ApiProblems.BadRequest("asOf", "MALFORMED_REQUEST", $"asOf '{asOf}' is not a date (yyyy-MM-dd).");
        }
        else
        {
            PlausibleDates.NotBeforeCcm(date, "asOf");
            Facts.NotFarFuture(date, s.Now, "asOf");
        }

        var patients = await s.Db.Patients.AsNoTracking()
            .Where(p => p.PracticeId == practiceId)
            .Include(p => p.Conditions)
            .Include(p => p.Coverages)
            .Include(p => p.Death)
            .AsSplitQuery()
            .ToListAsync();

        var rows = patients
            .OrderBy(p => p.FamilyName, StringComparer.Ordinal).ThenBy(p => p.GivenName, StringComparer.Ordinal)
            .Select(p => Screen(p, date))
            .ToArray();
        return TypedResults.Ok(rows);
    }

    public static EligibilityRow Screen(Patient p, DateOnly asOf)
    {
        var billable = p.Coverages.Any(c => c.PartBInForceOn(asOf));
        var age = AgeOn(p.BirthDate, asOf);
        var coverageReason = billable
            ? $"Medicare Part B in force on {asOf:yyyy-MM-dd} (R-ELIG-5)."
            : $"No Medicare Part B coverage in force on {asOf:yyyy-MM-dd}: not billable (R-ELIG-5).";
        if (p.DiedOnOrBefore(asOf))
        {
            var died = p.Death!.DeathDate ?? DateOnly.FromDateTime(p.Death.DiedAt!.Value);
            return new EligibilityRow(p.Id, p.Name, age, nameof(ProgramSuggestion.None), true, billable, [],
                [$"Deceased on {died:yyyy-MM-dd}: never suggested for enrollment.", coverageReason]);
        }

        // The stored ICD-10-CM code is the SNOMED map's own translation, not one the source system coded: passed as
        // an explicit code it would win over the map and skip its policy overrides (R-ELIG-2), so the map decides.
        var inputs = p.Conditions
            .Where(c => c.OnsetDate is null || c.OnsetDate <= asOf)
            .Select(c => new ConditionInput(c.SnomedCode, c.SnomedCode is null ? c.Icd10Code : null, ActiveOn(c, asOf), c.Display));
        var result = EligibilityScreening.Screen(inputs);
        return new EligibilityRow(p.Id, p.Name, age, result.Program.ToString(), false, billable, result.Groups, [.. result.Reasons, coverageReason]);
    }

    /// <summary>As of a past date a since-resolved condition was still active; without an abatement date the recorded status stands.</summary>
    private static bool ActiveOn(Condition c, DateOnly asOf) => c.AbatementDate is { } end ? asOf < end : c.Active;

    public static int AgeOn(DateOnly birth, DateOnly on)
    {
        var age = on.Year - birth.Year;
        if (on < birth.AddYears(age))
        {
            age--;
        }

        return Math.Max(age, 0);
    }

    public static bool IsIanaZone(string id)
    {
        try
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            // Windows ids ("Eastern Standard Time") resolve too; only IANA ids are stored.
            return TimeZoneInfo.TryConvertIanaIdToWindowsId(id, out _) || zone.Id == "UTC" || id == "Etc/UTC";
        }
        catch (TimeZoneNotFoundException)
        {
            return false;
        }
        catch (InvalidTimeZoneException)
        {
            return false;
        }
    }

    private static PracticeResponse ToResponse(Practice p) => new(p.Id, p.Name, p.TimeZone, p.WaivesCoinsurance);

    private static RosterMemberResponse ToResponse(RosterMember m) => new(m.Id, m.PracticeId, m.DisplayName, m.Kind, m.Credential, m.Npi, m.PractitionerType, m.ActiveFrom, m.QpYears);
}
