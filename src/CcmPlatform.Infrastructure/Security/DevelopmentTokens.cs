using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CcmPlatform.Infrastructure.Security;

/// <summary>Mints development tokens with the per-installation key (./ccm token, the demo, tests).</summary>
public static class DevelopmentTokens
{
    public static string Create(string base64Key, Guid rosterId, string role, Guid? practiceId = null, string? name = null, TimeSpan? lifetime = null)
    {
        if (!Roles.All.Contains(role))
        {
            throw new ArgumentException($"Unknown role '{role}'. Roles: {string.Join(", ", Roles.All)}.", nameof(role));
        }

        var claims = new List<Claim>
        {
            new(CallerExtensions.SubjectClaim, rosterId.ToString()),
            new(CallerExtensions.RoleClaim, role),
        };
        if (practiceId is { } p)
        {
            claims.Add(new Claim(CallerExtensions.PracticeClaim, p.ToString()));
        }

        if (name is not null)
        {
            claims.Add(new Claim("name", name));
        }

        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = AuthenticationSetup.DevelopmentIssuer,
            Audience = AuthenticationSetup.Audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = now.AddMinutes(-1),
            IssuedAt = now,
            Expires = now + (lifetime ?? TimeSpan.FromHours(8)),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(AuthenticationSetup.DecodeKey(base64Key)), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    public static string NewKey() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));
}
