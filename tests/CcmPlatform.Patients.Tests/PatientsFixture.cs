using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.Patients.Data;
using CcmPlatform.TestSupport;

namespace CcmPlatform.Patients.Tests;

public sealed class PatientsFactory : ServiceFactory<Program, PatientsDbContext>;

/// <summary>Helpers that create each test's own practice and roster through the API.</summary>
public static class Api
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Valid NPIs (Luhn over 80840 + 9 digits).</summary>
    public const string Npi1 = "1234567893";
    public const string Npi2 = "1245319599";

    public static string SamplePath(string prefix) => Directory.GetFiles(TestInfrastructure.SampleDirectory, prefix + "*.json").Single();

    public static async Task<Guid> CreatePracticeAsync(HttpClient admin, string zone = "America/New_York")
    {
        var response = await admin.PostAsJsonAsync("/api/patients/practices", new { name = "Practice " + Guid.NewGuid().ToString("N")[..6], timeZone = zone, waivesCoinsurance = false });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static async Task<Guid> AddPractitionerAsync(HttpClient admin, Guid practiceId, string npi = Npi1)
    {
        var response = await admin.PostAsJsonAsync($"/api/patients/practices/{practiceId}/roster", new
        {
            displayName = "Dr. Test " + npi,
            kind = "Practitioner",
            credential = "MD",
            npi,
            practitionerType = "Physician",
            activeFrom = "2020-01-01",
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static async Task<HttpResponseMessage> ImportAsync(HttpClient client, Guid practiceId, string json)
        => await client.PostAsync($"/api/patients/practices/{practiceId}/import", new StringContent(json, Encoding.UTF8, "application/fhir+json"));

    public static async Task<JsonElement> ImportSampleAsync(HttpClient client, Guid practiceId, string prefix)
    {
        var response = await ImportAsync(client, practiceId, await File.ReadAllTextAsync(SamplePath(prefix)));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement;
    }

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
        => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    public static void AssertProblem(JsonElement problem, string rule, string field)
    {
        Assert.Equal(rule, problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");
    }

    public static object Consent(Guid practitionerId, DateTime occurredAt, string program = "Ccm", bool declined = false) => new
    {
        program,
        practitionerId,
        method = "Verbal",
        occurredAt,
        informedCostSharing = true,
        informedRightToStop = true,
        informedSinglePractitioner = true,
        informedElectronicSharing = true,
        declined,
    };

    /// <summary>
    /// Registers a new member on the practice's roster and returns a client acting as them. The token has no
    /// practice claim: non-admin callers are scoped by their roster membership (docs/adr/0005).
    /// </summary>
    public static async Task<HttpClient> MemberAsync(PatientsFactory factory, HttpClient admin, Guid practiceId, string role = Roles.CareCoordinator)
        => factory.ClientAs(role, await EnrolAsync(admin, practiceId, role));

    public static async Task<Guid> EnrolAsync(HttpClient admin, Guid practiceId, string role = Roles.CareCoordinator)
    {
        var response = await admin.PostAsJsonAsync($"/api/patients/practices/{practiceId}/roster", new
        {
            displayName = "Staff " + Guid.NewGuid().ToString("N")[..6],
            kind = role == Roles.Billing ? "NonClinical" : "ClinicalStaff",
            credential = role == Roles.Billing ? "Biller" : "RN",
            activeFrom = "2020-01-01",
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
