using System.Globalization;
using System.Text.Json;
using CcmPlatform.Contracts;
using CcmPlatform.Infrastructure.Http;
using CcmPlatform.Patients.Apis;
using CcmPlatform.Patients.Data;
using CcmPlatform.Patients.Domain;
using CcmPlatform.Terminology;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.EntityFrameworkCore;
using Condition = CcmPlatform.Patients.Data.Condition;
using MedicationStatement = CcmPlatform.Contracts.MedicationStatement;
using Encounter = CcmPlatform.Patients.Data.Encounter;
using FhirCondition = Hl7.Fhir.Model.Condition;
using FhirEncounter = Hl7.Fhir.Model.Encounter;
using FhirPatient = Hl7.Fhir.Model.Patient;
using Patient = CcmPlatform.Patients.Data.Patient;
using Task = System.Threading.Tasks.Task;

namespace CcmPlatform.Patients.Import;

/// <summary>
/// Imports one Synthea patient bundle (FHIR R4). Idempotent per Synthea patient: the patient is
/// matched on its Synthea id, conditions and encounters on their resource ids, so a re-import
/// updates rows in place and adds only what is new. Everything, events included, commits in one
/// SaveChanges; a malformed bundle changes nothing.
/// </summary>
public sealed class SyntheaImport(PatientsDbContext db, TimeProvider time)
{
    public const string SyntheaSystem = "https://github.com/synthetichealth/synthea";
    private const string SnomedSystem = "http://snomed.info/sct";
    private const string RxNormSystem = "http://www.nlm.nih.gov/research/umls/rxnorm";
    private const string NpiSystem = "http://hl7.org/fhir/sid/us-npi";

    /// <summary>How many past face-to-face visits are published for the look-back rules (R-INIT-1, R-APCM-1).</summary>
    public const int VisitHistoryLimit = 10;

    /// <summary>Encounter classes that are face-to-face visits (Synthea uses AMB, older exports "wellness").</summary>
    private static readonly HashSet<string> FaceToFaceClasses = new(StringComparer.OrdinalIgnoreCase) { "AMB", "wellness" };

    // Strict: a bundle with a wrong type anywhere (a string where an array belongs, a number for a code)
    // is refused whole with 400, instead of half-read and failing later as a 500.
    private static readonly FhirJsonDeserializer Deserializer = new(new DeserializerSettings().UsingMode(DeserializationMode.Strict));

    public async Task<ImportResponse> ImportAsync(Guid practiceId, string json, Guid caller, CancellationToken cancellationToken)
    {
        var bundle = ParseBundle(json);

        var practice = await db.Practices.FirstOrDefaultAsync(p => p.Id == practiceId, cancellationToken)
            ?? throw RuleViolationException.NotFound("practiceId", "No such practice.");
        var practitioners = (await db.RosterMembers
                .Where(r => r.PracticeId == practiceId && r.Kind == RosterKind.Practitioner)
                .ToListAsync(cancellationToken))
            .OrderBy(r => r.Npi, StringComparer.Ordinal)
            .ToList();
        if (practitioners.Count == 0)
        {
            throw RuleViolationException.Unprocessable("practiceId", "R-ELIG-4", "The practice has no practitioner on its roster; register one before importing so each patient gets a billing practitioner.");
        }

        var resources = bundle.Entry.Where(e => e.Resource is not null).ToList();
        var fhirPatients = resources.Select(e => e.Resource).OfType<FhirPatient>().ToList();
        if (fhirPatients.Count > 1)
        {
            // Conditions, encounters and medications reference their patient; with two, importing one would file the
            // other's clinical data under it or drop it silently.
            throw RuleViolationException.BadRequest("entry", "FHIR_BUNDLE", $"The bundle has {fhirPatients.Count} Patient resources; send one patient per bundle.");
        }

        var fhirPatient = fhirPatients.FirstOrDefault()
            ?? throw RuleViolationException.BadRequest("entry", "FHIR_BUNDLE", "The bundle has no Patient resource.");
        var syntheaId = fhirPatient.Identifier.FirstOrDefault(i => i.System == SyntheaSystem && !string.IsNullOrWhiteSpace(i.Value))?.Value
            ?? fhirPatient.Id
            ?? throw RuleViolationException.BadRequest("entry.resource.id", "FHIR_BUNDLE", "The Patient has neither an id nor a Synthea identifier.");
        var birthDate = ParseDate(fhirPatient.BirthDate)
            ?? throw RuleViolationException.BadRequest("Patient.birthDate", "FHIR_BUNDLE", "The Patient has no birth date.");

        var now = time.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, TimeZoneInfo.FindSystemTimeZoneById(practice.TimeZone)));
        if (birthDate > today)
        {
            throw RuleViolationException.Unprocessable("Patient.birthDate", "R-FACT-1", $"Patient.birthDate {birthDate:yyyy-MM-dd} is in the future.");
        }

        PlausibleDates.NotBeforeLifeFacts(birthDate, "Patient.birthDate");

        // POST …/death refuses a future death; an imported one would otherwise end every later month's billing.
        if (fhirPatient.Deceased is FhirDateTime { Value: { } deceased }
            && ((deceased.Length > 10 && ParseInstant(deceased) > now) || ParseDate(deceased) > today))
        {
            throw RuleViolationException.Unprocessable("Patient.deceasedDateTime", "R-FACT-1", $"Patient.deceasedDateTime {deceased} is in the future.");
        }

        if (fhirPatient.Deceased is FhirDateTime { Value: { } deceasedOn } && ParseDate(deceasedOn) is { } deathDay)
        {
            PlausibleDates.NotBeforeLifeFacts(deathDay, "Patient.deceasedDateTime");
        }

        var patient = await db.Patients
            .Include(p => p.Identifiers)
            .Include(p => p.Conditions)
            .Include(p => p.Encounters)
            .Include(p => p.BillingAssignments)
            .Include(p => p.Enrollments).ThenInclude(e => e.History)
            .Include(p => p.Death)
            .AsSplitQuery()
            .FirstOrDefaultAsync(p => p.PracticeId == practiceId && p.SyntheaId == syntheaId, cancellationToken);

        var name = fhirPatient.Name.FirstOrDefault(n => n.Use == HumanName.NameUse.Official) ?? fhirPatient.Name.FirstOrDefault();
        var given = StripDigits(string.Join(' ', name?.Given ?? [])) is { Length: > 0 } g ? g : "Unknown";
        var family = StripDigits(name?.Family) is { Length: > 0 } f ? f : "Unknown";
        var sex = fhirPatient.Gender?.ToString().ToLowerInvariant();

        var created = patient is null;
        var demographicsChanged = created;
        if (patient is null)
        {
            patient = new Patient
            {
                Id = Guid.CreateVersion7(now),
                PracticeId = practiceId,
                SyntheaId = syntheaId,
                GivenName = given,
                FamilyName = family,
                BirthDate = birthDate,
                Sex = sex,
                OccurredAt = now,
                RecordedAt = now,
            };
            db.Patients.Add(patient);
        }
        else if (patient.GivenName != given || patient.FamilyName != family || patient.BirthDate != birthDate || patient.Sex != sex)
        {
            (patient.GivenName, patient.FamilyName, patient.BirthDate, patient.Sex) = (given, family, birthDate, sex);
            demographicsChanged = true;
        }

        foreach (var identifier in fhirPatient.Identifier.Where(i => !string.IsNullOrWhiteSpace(i.Value)))
        {
            var system = Truncate(identifier.System ?? "urn:unknown", 200);
            var value = Truncate(identifier.Value!, 200);
            if (!patient.Identifiers.Any(i => i.System == system && i.Value == value))
            {
                patient.Identifiers.Add(new PatientIdentifier { Id = Guid.NewGuid(), PatientId = patient.Id, System = system, Value = value });
                demographicsChanged = true;
            }
        }

        var unmapped = new SortedSet<string>(StringComparer.Ordinal);
        var conditionsChanged = ImportConditions(patient, resources.Select(e => e.Resource).OfType<FhirCondition>(), unmapped, now);
        var newVisits = ImportEncounters(patient, resources, now);
        var medications = resources.Select(e => e.Resource).OfType<MedicationRequest>().Select(ToStatement).Where(m => m is not null).Cast<MedicationStatement>().ToArray();

        if (demographicsChanged)
        {
            db.Outbox(new PatientRegistered(practiceId, patient.Id, patient.GivenName, patient.FamilyName, patient.BirthDate, patient.Sex,
                patient.Identifiers.Select(i => new ExternalIdentifier(i.System, i.Value)).ToArray(), now), now);
        }

        if (conditionsChanged || created)
        {
            db.Outbox(new ConditionsChanged(practiceId, patient.Id, patient.Conditions
                .OrderBy(c => c.OnsetDate).ThenBy(c => c.ExternalId, StringComparer.Ordinal)
                .Select(c => new ConditionFact(c.Id, c.SnomedCode, c.Display, c.Icd10Code, c.ChronicGroup, c.Active, c.OnsetDate, c.AbatementDate))
                .ToArray(), now), now);
        }

        var assignment = patient.BillingAssignments.OrderByDescending(a => a.EffectiveFrom).FirstOrDefault();
        if (assignment is null)
        {
            var chosen = BillingPractitionerChoice.Choose(syntheaId, practitioners);
            assignment = new BillingPractitionerAssignment
            {
                Id = Guid.CreateVersion7(now),
                PatientId = patient.Id,
                PractitionerId = chosen.Id,
                EffectiveFrom = BillingPractitionerChoice.ImportEffectiveFrom,
                OccurredAt = now,
                RecordedAt = now,
                RecordedBy = caller,
            };
            patient.BillingAssignments.Add(assignment);
            db.Outbox(new BillingPractitionerAssigned(practiceId, patient.Id, assignment.Id, assignment.PractitionerId, assignment.EffectiveFrom, assignment.OccurredAt, now), now);
        }

        foreach (var visit in newVisits)
        {
            db.Outbox(new VisitHistoryRecorded(practiceId, patient.Id, visit.Id, visit.Code, visit.ExternalPractitionerId, visit.StartedAt), now);
        }

        if (medications.Length > 0)
        {
            // A snapshot of the bundle's requests; Medications keys them by ExternalId, so a re-import changes nothing there.
            db.Outbox(new MedicationsImported(practiceId, patient.Id, medications, now), now);
        }

        ImportDeath(patient, fhirPatient, caller, now);
        if (patient.Death is null)
        {
            SuggestEnrollment(patient, caller, now, practice);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another request imported the same patient at the same moment; the unique index kept one.
            throw RuleViolationException.Conflict("entry", "IMPORT_CONCURRENT", "The same patient is being imported concurrently; retry.");
        }

        return new ImportResponse(patient.Id, created, patient.Conditions.Count, patient.Encounters.Count, medications.Length, unmapped.ToArray(), assignment.PractitionerId);
    }

    /// <summary>Malformed JSON or anything but a Bundle is a 400 that names the problem; nothing is read further.</summary>
    public static Bundle ParseBundle(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            throw RuleViolationException.BadRequest("body", "FHIR_BUNDLE", "The body is empty; send a FHIR R4 Bundle as JSON.");
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw RuleViolationException.BadRequest("body", "FHIR_BUNDLE", "The body is not a JSON object; send a FHIR R4 Bundle.");
            }

            if (!document.RootElement.TryGetProperty("resourceType", out var type) || type.ValueKind != JsonValueKind.String)
            {
                throw RuleViolationException.BadRequest("resourceType", "FHIR_BUNDLE", "The body has no resourceType; send a FHIR R4 Bundle.");
            }

            if (type.GetString() != "Bundle")
            {
                throw RuleViolationException.BadRequest("resourceType", "FHIR_BUNDLE", $"resourceType is '{type.GetString()}', not 'Bundle'.");
            }
        }
        catch (JsonException ex)
        {
            throw RuleViolationException.BadRequest("body", "FHIR_BUNDLE", $"The body is not valid JSON: {ex.Message}");
        }

        try
        {
            return Deserializer.Deserialize<Bundle>(json);
        }
        catch (DeserializationFailedException ex)
        {
            var problems = string.Join("; ", ex.Exceptions.Take(3).Select(e => e.Message));
            throw RuleViolationException.BadRequest("body", "FHIR_BUNDLE", $"The bundle is not valid FHIR R4: {problems}");
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or ArgumentException)
        {
            throw RuleViolationException.BadRequest("body", "FHIR_BUNDLE", $"The bundle is not valid FHIR R4: {ex.Message}");
        }
    }

    private bool ImportConditions(Patient patient, IEnumerable<FhirCondition> conditions, SortedSet<string> unmapped, DateTime now)
    {
        var changed = false;
        foreach (var fc in conditions)
        {
            var externalId = fc.Id;
            if (string.IsNullOrWhiteSpace(externalId))
            {
                continue;
            }

            var coding = fc.Code?.Coding.FirstOrDefault(c => c.System == SnomedSystem) ?? fc.Code?.Coding.FirstOrDefault();
            var snomed = coding?.System == SnomedSystem ? coding.Code : null;
            var display = Truncate(coding?.Display ?? fc.Code?.Text ?? snomed ?? "Unnamed condition", 500);
            var mapping = SnomedMap.Default.Lookup(snomed);
            if (mapping is null)
            {
                unmapped.Add(snomed ?? $"{coding?.System}|{coding?.Code}");
            }

            var clinical = fc.ClinicalStatus?.Coding.FirstOrDefault()?.Code;
            var active = clinical is "active" or "recurrence" or "relapse";
            var onsetAt = ParseInstant((fc.Onset as FhirDateTime)?.Value);
            var abatementAt = ParseInstant((fc.Abatement as FhirDateTime)?.Value);
            var recordedAt = ParseInstant(fc.RecordedDate);

            var existing = patient.Conditions.FirstOrDefault(c => c.ExternalId == externalId);
            var onset = onsetAt is { } o ? DateOnly.FromDateTime(o) : (DateOnly?)null;
            var abatement = abatementAt is { } a ? DateOnly.FromDateTime(a) : (DateOnly?)null;
            var occurredAt = Min(recordedAt ?? onsetAt ?? now, now);
            if (existing is null)
            {
                patient.Conditions.Add(new Condition
                {
                    Id = Guid.CreateVersion7(now),
                    PatientId = patient.Id,
                    ExternalId = Truncate(externalId, 100),
                    SnomedCode = snomed,
                    Display = display,
                    Icd10Code = mapping?.Icd10CmCode,
                    ChronicGroup = mapping?.GroupText,
                    Active = active,
                    OnsetDate = onset,
                    AbatementDate = abatement,
                    OccurredAt = occurredAt,
                    RecordedAt = now,
                });
                changed = true;
            }
            else if (existing.SnomedCode != snomed || existing.Display != display || existing.Icd10Code != mapping?.Icd10CmCode
                     || existing.ChronicGroup != mapping?.GroupText || existing.Active != active || existing.OnsetDate != onset || existing.AbatementDate != abatement)
            {
                existing.SnomedCode = snomed;
                existing.Display = display;
                existing.Icd10Code = mapping?.Icd10CmCode;
                existing.ChronicGroup = mapping?.GroupText;
                existing.Active = active;
                existing.OnsetDate = onset;
                existing.AbatementDate = abatement;
                existing.OccurredAt = occurredAt;
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>Adds encounters not seen before; returns the new face-to-face visits among the patient's most recent ones.</summary>
    private List<Encounter> ImportEncounters(Patient patient, List<Bundle.EntryComponent> entries, DateTime now)
    {
        var practitionersByUrl = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries.Where(e => e.Resource is Practitioner))
        {
            if (entry.Resource is not Practitioner p)
            {
                continue;
            }

            var externalId = p.Identifier.FirstOrDefault(i => i.System == NpiSystem)?.Value is { Length: > 0 } npi ? $"npi:{npi}" : $"fhir:{p.Id}";
            if (entry.FullUrl is { } url)
            {
                practitionersByUrl[url] = externalId;
            }

            if (p.Id is { } id)
            {
                practitionersByUrl[$"Practitioner/{id}"] = externalId;
            }
        }

        var added = new List<Encounter>();
        foreach (var fe in entries.Select(e => e.Resource).OfType<FhirEncounter>())
        {
            if (string.IsNullOrWhiteSpace(fe.Id) || ParseInstant(fe.Period?.Start) is not { } started)
            {
                continue;
            }

            var type = fe.Type.FirstOrDefault()?.Coding.FirstOrDefault();
            var reference = fe.Participant.Select(pp => pp.Individual?.Reference).FirstOrDefault(r => r is not null);
            var practitioner = reference is null ? null : practitionersByUrl.GetValueOrDefault(reference) ?? Truncate(reference, 100);
            var existing = patient.Encounters.FirstOrDefault(e => e.ExternalId == fe.Id);
            if (existing is not null)
            {
                continue;
            }

            var encounter = new Encounter
            {
                Id = Guid.CreateVersion7(now),
                PatientId = patient.Id,
                ExternalId = Truncate(fe.Id, 100),
                ClassCode = fe.Class?.Code,
                Code = type?.Code is { } code ? Truncate(code, 30) : null,
                Display = type?.Display is { } d ? Truncate(d, 500) : null,
                StartedAt = started,
                EndedAt = ParseInstant(fe.Period?.End),
                ExternalPractitionerId = practitioner,
                OccurredAt = Min(started, now),
                RecordedAt = now,
            };
            patient.Encounters.Add(encounter);
            added.Add(encounter);
        }

        var recentVisits = patient.Encounters
            .Where(e => e.ClassCode is { } c && FaceToFaceClasses.Contains(c) && e.StartedAt <= now)
            .OrderByDescending(e => e.StartedAt)
            .Take(VisitHistoryLimit)
            .ToHashSet();
        return added.Where(recentVisits.Contains).OrderBy(e => e.StartedAt).ToList();
    }

    private void ImportDeath(Patient patient, FhirPatient fhirPatient, Guid caller, DateTime now)
    {
        DateTime? diedAt = null;
        DateOnly? deathDate = null;
        switch (fhirPatient.Deceased)
        {
            case FhirDateTime dt when dt.Value is { } text:
                diedAt = text.Length > 10 ? ParseInstant(text) : null;
                deathDate = ParseDate(text);
                break;
            case FhirBoolean { Value: true }:
                break;
            default:
                return;
        }

        if (patient.Death is not null)
        {
            return;
        }

        patient.Death = new Death
        {
            Id = Guid.CreateVersion7(now),
            PatientId = patient.Id,
            DiedAt = diedAt,
            DeathDate = deathDate ?? (diedAt is { } at ? DateOnly.FromDateTime(at) : null),
            OccurredAt = Min(diedAt ?? now, now),
            RecordedAt = now,
        };
        db.Outbox(new PatientDied(patient.PracticeId, patient.Id, patient.Death.DiedAt, patient.Death.DeathDate, now), now);
        PatientsApi.MarkDeceased(db, patient, caller, patient.Death.OccurredAt, now);
    }

    /// <summary>Screening turns into enrollment candidates; a clinician confirms (R-ELIG-2), so nothing goes past Eligible here.</summary>
    private static void SuggestEnrollment(Patient patient, Guid caller, DateTime now, Practice practice)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, TimeZoneInfo.FindSystemTimeZoneById(practice.TimeZone)));
        var row = PracticesApi.Screen(patient, today);
        if (!Enum.TryParse<CareProgram>(row.Suggestion, out var program) || patient.Enrollments.Any(e => e.Program == program))
        {
            return;
        }

        var enrollment = new Enrollment { Id = Guid.CreateVersion7(now), PatientId = patient.Id, Program = program };
        enrollment.MoveTo(EnrollmentState.Candidate, caller, now, now, "Imported from a FHIR bundle.");
        enrollment.MoveTo(EnrollmentState.Eligible, caller, now, now, row.Reasons.FirstOrDefault());
        patient.Enrollments.Add(enrollment);
    }

    private static MedicationStatement? ToStatement(MedicationRequest request)
    {
        var concept = request.Medication as CodeableConcept;
        var coding = concept?.Coding.FirstOrDefault(c => c.System == RxNormSystem) ?? concept?.Coding.FirstOrDefault();
        if (coding?.Code is null)
        {
            return null;
        }

        var status = request.StatusElement?.JsonValue as string ?? request.Status?.ToString().ToLowerInvariant() ?? "unknown";
        return new MedicationStatement(coding.Code, coding.Display ?? concept?.Text ?? coding.Code, status, ParseInstant(request.AuthoredOn), request.Id);
    }

    private static DateTime? ParseInstant(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dto))
        {
            return dto.UtcDateTime;
        }

        return ParseDate(text) is { } d ? d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) : null;
    }

    private static DateOnly? ParseDate(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var head = text.Length >= 10 ? text[..10] : text;
        if (DateOnly.TryParseExact(head, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        if (DateOnly.TryParseExact(head, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            return date;
        }

        return DateOnly.TryParseExact(head, "yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out date) ? date : null;
    }

    /// <summary>Synthea appends digits to names ("Parker464"); they are noise for people reading the roster.</summary>
    private static string StripDigits(string? name) => new string((name ?? string.Empty).Where(c => !char.IsAsciiDigit(c)).ToArray()).Trim();

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
