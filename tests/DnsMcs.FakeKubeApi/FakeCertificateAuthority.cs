using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DnsMcs.FakeKubeApi;

/// <summary>A throwaway CA that issues the fake server's certificate and client certificates, so TLS tests are real.</summary>
public sealed class FakeCertificateAuthority : IDisposable
{
    private readonly ECDsa _key;
    private readonly FakeCertificateAuthority? _issuer;

    /// <summary>A root CA (self-signed).</summary>
    public FakeCertificateAuthority(string name = "fake-kube-ca")
        : this(name, null)
    {
    }

    private FakeCertificateAuthority(string name, FakeCertificateAuthority? issuer)
    {
        _issuer = issuer;
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, issuer is null, issuer is null ? 1 : 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (issuer is null)
        {
            Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        }
        else
        {
            using var signed = request.Create(issuer.Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(issuer._key), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMonths(6), RandomNumberGenerator.GetBytes(8));
            Certificate = X509CertificateLoader.LoadCertificate(signed.RawData);
        }
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// A CA signed by this one (leaf &lt;- intermediate &lt;- root, as most managed clusters issue): what it
    /// signs verifies against this root only with the intermediate in hand.
    /// </summary>
    public FakeCertificateAuthority CreateIntermediate(string name = "fake-kube-intermediate-ca") => new(name, this);

    public string CertificatePem => Certificate.ExportCertificatePem();

    /// <summary>A server certificate for 127.0.0.1, ::1, localhost and any extra DNS names.</summary>
    public X509Certificate2 IssueServerCertificate(params string[] dnsNames) => IssueServerCertificate(true, dnsNames);

    /// <summary>A server certificate for the DNS names, and the loopback names if <paramref name="loopback"/>.</summary>
    public X509Certificate2 IssueServerCertificate(bool loopback, params string[] dnsNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kube-apiserver", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        if (loopback)
        {
            san.AddIpAddress(IPAddress.Loopback);
            san.AddIpAddress(IPAddress.IPv6Loopback);
            san.AddDnsName("localhost");
        }
        foreach (var name in dnsNames)
        {
            san.AddDnsName(name);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return Issue(request, key);
    }

    /// <summary>A client certificate (user = common name) and its key, as PEM; RSA or EC.</summary>
    public (string CertificatePem, string KeyPem) IssueClientCertificate(string commonName, bool rsa = false)
    {
        using AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = key is RSA r
            ? new CertificateRequest($"CN={commonName}, O=system:masters", r, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest($"CN={commonName}, O=system:masters", (ECDsa)key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        var serial = RandomNumberGenerator.GetBytes(8);
        using var certificate = request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), serial);

        // PKCS#1 for RSA and SEC1 for EC: the formats kubeadm and kind write.
        var keyPem = key is RSA rsaKey ? rsaKey.ExportRSAPrivateKeyPem() : ((ECDsa)key).ExportECPrivateKeyPem();
        return (certificate.ExportCertificatePem(), keyPem);
    }

    /// <summary>True when <paramref name="certificate"/> was issued by this CA (or by one of its intermediates, given in <paramref name="intermediates"/>).</summary>
    public bool Issued(X509Certificate2 certificate, params X509Certificate2[] intermediates)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(_issuer?.Certificate ?? Certificate);
        chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        if (_issuer is not null)
        {
            chain.ChainPolicy.ExtraStore.Add(Certificate);
        }

        return chain.Build(certificate);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }

    private X509Certificate2 Issue(CertificateRequest request, ECDsa key)
    {
        var serial = RandomNumberGenerator.GetBytes(8);
        using var issued = request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), serial);
        using var withKey = issued.CopyWithPrivateKey(key);

        // A PKCS#12 round trip gives Kestrel a key it can use on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
