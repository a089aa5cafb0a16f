#include "tls/cert_store.h"

#include "tls/certificate_authority.h"
#include "tls/x509_util.h"

#include <algorithm>
#include <openssl/err.h>

namespace spyglass {

namespace {

constexpr long kBackdateSeconds = 2 * 24 * 3600;
constexpr long kLeafValiditySeconds = 365L * 24 * 3600;
constexpr int kMaxCommonNameLength = 64; // ub-common-name, RFC 5280
constexpr int kMaxDnsNameLength = 253;

struct NameSet
{
    QList<QByteArray> dns;
    QList<QByteArray> ips;
    QList<QByteArray> all; // in the caller's order, the first is the primary name
};

// DNS names in certificates are IA5 strings; IDNA is already applied before names reach us,
// so anything outside letters, digits, '-', '.', '_' and a wildcard '*' is not a host name
// (an upstream CN such as "Example Inc." ends up here and is skipped).
bool isCertificateDnsName(const QByteArray& name)
{
    if (name.isEmpty() || name.size() > kMaxDnsNameLength)
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
               c == '_' || c == '*';
    });
}

NameSet normalize(const QList<QByteArray>& names)
{
    NameSet set;
    for (QByteArray n : names) {
        n = n.trimmed();
        if (n.startsWith('[') && n.endsWith(']'))
            n = n.mid(1, n.size() - 2);
        if (isIpAddress(n)) {
            n = n.toLower();
            if (!set.ips.contains(n)) {
                set.ips.append(n);
                set.all.append(n);
            }
            continue;
        }
        n = n.toLower();
        while (n.endsWith('.'))
            n.chop(1);
        if (!isCertificateDnsName(n) || set.dns.contains(n))
            continue;
        set.dns.append(n);
        set.all.append(n);
    }
    return set;
}

QByteArray cacheKey(const NameSet& set, const QByteArray& organization)
{
    QList<QByteArray> sorted = set.all;
    std::sort(sorted.begin(), sorted.end());
    return sorted.join(',') + '|' + organization;
}

bool addName(X509_NAME* name, const char* field, const QByteArray& value)
{
    return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char*>(value.constData()),
                                      int(value.size()), -1, 0) == 1;
}

// subjectAltName built from GENERAL_NAME objects, never from a config string: names come from
// the network and must not be able to inject extension syntax.
bool addSubjectAltName(X509* cert, const NameSet& set, bool critical)
{
    GeneralNamesPtr gens(sk_GENERAL_NAME_new_null());
    if (!gens)
        return false;
    for (const QByteArray& dns : set.dns) {
        GENERAL_NAME* g = GENERAL_NAME_new();
        ASN1_IA5STRING* s = ASN1_IA5STRING_new();
        if (!g || !s || ASN1_STRING_set(s, dns.constData(), int(dns.size())) != 1) {
            GENERAL_NAME_free(g);
            ASN1_IA5STRING_free(s);
            return false;
        }
        GENERAL_NAME_set0_value(g, GEN_DNS, s);
        sk_GENERAL_NAME_push(gens.get(), g);
    }
    for (const QByteArray& ip : set.ips) {
        GENERAL_NAME* g = GENERAL_NAME_new();
        ASN1_OCTET_STRING* s = a2i_IPADDRESS(ip.constData());
        if (!g || !s) {
            GENERAL_NAME_free(g);
            ASN1_OCTET_STRING_free(s);
            return false;
        }
        GENERAL_NAME_set0_value(g, GEN_IPADD, s);
        sk_GENERAL_NAME_push(gens.get(), g);
    }
    return X509_add1_ext_i2d(cert, NID_subject_alt_name, gens.get(), critical ? 1 : 0,
                             X509V3_ADD_DEFAULT) == 1;
}

} // namespace

CertStore::CertStore(std::shared_ptr<const CertificateAuthority> ca, int capacity)
    : m_ca(std::move(ca)), m_capacity(std::max(1, capacity))
{
}

CertStore::~CertStore() = default;

EVP_PKEY* CertStore::leafKey() const
{
    return m_ca->leafKey();
}

X509* CertStore::caCertificate() const
{
    return m_ca->certificate();
}

CertificateNames CertStore::upstreamNames(const QByteArray& der)
{
    {
        std::lock_guard lock(m_upstreamMutex);
        auto it = m_upstreamNames.constFind(der);
        if (it != m_upstreamNames.constEnd())
            return it.value();
    }
    // Parsing happens outside the lock; two threads that miss at once both parse.
    CertificateNames names;
    if (X509Ptr cert = x509FromDer(der))
        names = certificateNames(cert.get());
    else
        ERR_clear_error();
    m_upstreamParsed.fetch_add(1);

    std::lock_guard lock(m_upstreamMutex);
    if (!m_upstreamNames.contains(der)) {
        m_upstreamNames.insert(der, names);
        m_upstreamOrder.push_back(der);
        if (int(m_upstreamOrder.size()) > kUpstreamNamesCapacity) {
            m_upstreamNames.remove(m_upstreamOrder.front());
            m_upstreamOrder.pop_front();
        }
    }
    return names;
}

int CertStore::size() const
{
    std::lock_guard lock(m_mutex);
    return int(m_lru.size());
}

SharedX509 CertStore::leafFor(const QList<QByteArray>& names, const QByteArray& organization,
                              QString* error)
{
    const NameSet set = normalize(names);
    if (set.all.isEmpty()) {
        if (error)
            *error = QStringLiteral("no usable host name or IP address to mint a certificate "
                                    "for (got: %1)")
                         .arg(QString::fromLatin1(names.join(", ")));
        return nullptr;
    }
    const QByteArray key = cacheKey(set, organization);
    {
        std::lock_guard lock(m_mutex);
        auto it = m_index.find(key);
        if (it != m_index.end()) {
            m_lru.splice(m_lru.begin(), m_lru, it.value());
            return m_lru.front().cert;
        }
    }

    // Signing happens outside the lock so that threads mint in parallel.
    SharedX509 cert = mint(set.all, organization, error);
    if (!cert)
        return nullptr;
    m_minted.fetch_add(1);

    std::lock_guard lock(m_mutex);
    auto it = m_index.find(key);
    if (it != m_index.end()) { // another thread was faster: keep one certificate per name set
        m_lru.splice(m_lru.begin(), m_lru, it.value());
        return m_lru.front().cert;
    }
    m_lru.push_front(Entry{key, cert});
    m_index.insert(key, m_lru.begin());
    while (int(m_lru.size()) > m_capacity) {
        m_index.remove(m_lru.back().key);
        m_lru.pop_back();
    }
    return cert;
}

SharedX509 CertStore::mint(const QList<QByteArray>& names, const QByteArray& organization,
                           QString* error) const
{
    const NameSet set = normalize(names);
    X509* ca = m_ca->certificate();
    auto fail = [&](const char* step) -> SharedX509 {
        if (error)
            *error = QStringLiteral("cannot mint a certificate for %1 (%2): %3")
                         .arg(QString::fromLatin1(set.all.join(", ")), QLatin1String(step),
                              takeOpenSslErrors());
        else
            ERR_clear_error();
        return nullptr;
    };

    X509Ptr cert(X509_new());
    if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1 || !setRandomSerial(cert.get()))
        return fail("serial");
    if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kBackdateSeconds) ||
        !X509_gmtime_adj(X509_getm_notAfter(cert.get()), kLeafValiditySeconds))
        return fail("validity");

    X509_NAME* subject = X509_get_subject_name(cert.get());
    const QByteArray& primary = set.all.first();
    const bool hasCn = primary.size() <= kMaxCommonNameLength;
    if (hasCn && !addName(subject, "CN", primary))
        return fail("subject");
    if (!organization.isEmpty() && !addName(subject, "O", organization.left(64)))
        return fail("subject");
    if (X509_set_issuer_name(cert.get(), X509_get_subject_name(ca)) != 1 ||
        X509_set_pubkey(cert.get(), m_ca->leafKey()) != 1)
        return fail("issuer");

    // RFC 5280 4.2.1.6: with an empty subject the subjectAltName must be critical.
    const bool emptySubject = X509_NAME_entry_count(subject) == 0;
    if (!addExtension(cert.get(), ca, NID_basic_constraints, "critical,CA:FALSE") ||
        !addExtension(cert.get(), ca, NID_key_usage, "critical,digitalSignature,keyEncipherment") ||
        !addExtension(cert.get(), ca, NID_ext_key_usage, "serverAuth") ||
        !addExtension(cert.get(), ca, NID_subject_key_identifier, "hash") ||
        !addExtension(cert.get(), ca, NID_authority_key_identifier, "keyid:always") ||
        !addSubjectAltName(cert.get(), set, emptySubject))
        return fail("extensions");

    if (X509_sign(cert.get(), m_ca->privateKey(), EVP_sha256()) <= 0)
        return fail("signature");
    return SharedX509(cert.release(), X509_free);
}

} // namespace spyglass
