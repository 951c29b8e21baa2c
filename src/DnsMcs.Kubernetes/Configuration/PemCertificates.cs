using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace DnsMcs.Kubernetes.Configuration;

internal static class PemCertificates
{
    public static X509Certificate2Collection LoadAuthorities(string pem)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(pem);
        if (collection.Count == 0)
        {
            throw new KubeConfigException("certificate authority holds no PEM certificate");
        }

        return collection;
    }

    /// <summary>A client certificate with its private key (PKCS#1 RSA, SEC1 EC or PKCS#8).</summary>
    public static X509Certificate2 LoadClientCertificate(string certificatePem, string keyPem)
    {
        using var ephemeral = X509Certificate2.CreateFromPem(certificatePem, keyPem);

        // A key created from PEM is ephemeral; a PKCS#12 round trip gives SslStream a key it can
        // always use for the handshake, whatever the platform.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }

    public static string DecodeData(string base64, string field)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException e)
        {
            throw new KubeConfigException($"{field} is not valid base64", e);
        }
    }
}
