using PublicSafety.DevToken;

// ./build.sh token [--roles a,b] [--client name] [--region KZ-75|--no-scope] [--user name] [--lifetime minutes] [--key path]
// Without --region the token has national scope (the platform.national role); --no-scope makes one with no scope at all.
// Prints the token alone on standard output so scripts can capture it.
var request = new TokenRequest();
var keyPath = Environment.GetEnvironmentVariable("PUBLICSAFETY_DEV_KEY") ?? DevTokens.DefaultKeyPath(Directory.GetCurrentDirectory());
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--no-scope")
    {
        request = request with { National = false };
        continue;
    }

    var value = i + 1 < args.Length ? args[i + 1] : null;
    if (value is null || args[i] is not ("--roles" or "--client" or "--region" or "--user" or "--lifetime" or "--key" or "--audience" or "--issuer"))
    {
        Console.Error.WriteLine($"usage: token [--roles a,b] [--client name] [--region KZ-xx|--no-scope] [--user name] [--lifetime minutes] [--key path]; got '{args[i]}'");
        return 2;
    }

    request = args[i] switch
    {
        "--roles" => request with { Roles = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
        "--client" => request with { Client = value },
        "--region" => request with { Region = value },
        "--user" => request with { User = value },
        "--lifetime" => request with { Lifetime = TimeSpan.FromMinutes(double.Parse(value, System.Globalization.CultureInfo.InvariantCulture)) },
        "--audience" => request with { Audience = value },
        "--issuer" => request with { Issuer = value },
        _ => request,
    };
    if (args[i] == "--key")
    {
        keyPath = value;
    }

    i++;
}

Console.WriteLine(DevTokens.FromKeyFile(keyPath).Create(request));
return 0;
