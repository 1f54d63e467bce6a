using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace PublicSafety.ServiceDefaults.Data;

/// <summary>
/// Keeps ASP.NET Core Data Protection's key ring in the service's own database (table <c>data_protection_keys</c>), so that
/// every replica protects and unprotects with the same keys. The default, a directory of the process's home, gives each
/// replica (and each restarted pod) keys of its own: a form served by one replica would be refused by the next.
/// </summary>
/// <remarks>
/// The keys are stored as Data Protection writes them, unencrypted: they protect short-lived tokens (antiforgery), and
/// whoever can read the database already reads what those tokens guard. Call after <see cref="ServiceDatabase.AddServiceDatabase"/>.
/// </remarks>
public static class DatabaseKeyRing
{
    public static IHostApplicationBuilder AddDatabaseKeyRing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddDataProtection().SetApplicationName(builder.Environment.ApplicationName);
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(services => new ConfigureOptions<KeyManagementOptions>(
            options => options.XmlRepository = new Repository(
                services.GetRequiredService<NpgsqlDataSource>(), services.GetRequiredService<ServiceDatabase.SchemaState>())));
        return builder;
    }

    private sealed class Repository(NpgsqlDataSource dataSource, ServiceDatabase.SchemaState schema) : IXmlRepository
    {
        // Data Protection reads the ring synchronously, first while the host starts (the migrations run first, see
        // ServiceDatabase) and then about once a day; a wait for the schema beyond this means the database is unreachable.
        private static readonly TimeSpan SchemaWait = TimeSpan.FromSeconds(15);

        public IReadOnlyCollection<XElement> GetAllElements()
        {
            WaitForSchema();
            using var command = dataSource.CreateCommand("SELECT xml FROM data_protection_keys ORDER BY created_at, name");
            using var reader = command.ExecuteReader();
            var elements = new List<XElement>();
            while (reader.Read())
            {
                elements.Add(XElement.Parse(reader.GetString(0)));
            }

            return elements;
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            WaitForSchema();
            // Names are unique per element (key id, revocation time); a second write of the same one changes nothing.
            using var command = dataSource.CreateCommand(
                "INSERT INTO data_protection_keys (name, xml) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING");
            command.Parameters.Add(new NpgsqlParameter { Value = friendlyName });
            command.Parameters.Add(new NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting) });
            command.ExecuteNonQuery();
        }

        private void WaitForSchema()
        {
            if (!schema.WhenCurrent.Wait(SchemaWait))
            {
                throw new InvalidOperationException("The key ring's table is not there yet: the service's database schema is not current.");
            }
        }
    }
}
