//! The address rules: which URLs may be fetched and which addresses may be connected to.
//!
//! Two places check addresses. A URL whose host is an IP literal is checked here before any
//! request ([`check_url`]), because the HTTP client connects to a literal without asking a
//! resolver. A host name is checked in [`GuardedResolver`], the client's only resolver: it
//! resolves the name, refuses the whole answer when any address in it is forbidden (nothing is
//! dropped silently), and hands the client only addresses that passed, so the connection can
//! only go where the check looked (no DNS rebinding between check and connect).

use std::fmt;
use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;

use reqwest::Url;

use super::{FetchError, FetchPolicy};

/// A host-name lookup: the addresses `name` resolves to. Injected by tests
/// ([`super::Fetcher::with_resolver`]); the system resolver otherwise.
pub type Resolve = Arc<dyn Fn(&str) -> io::Result<Vec<IpAddr>> + Send + Sync>;

/// Why `ip` may not be connected to, or `None` when it is an ordinary public address.
///
/// `std` answers loopback, private, link-local, multicast, unspecified, broadcast, unique-local
/// and IPv6 link-local; the other ranges (CGNAT, documentation, benchmarking, reserved,
/// translation and tunnelling prefixes) are checked by hand, each with its RFC.
pub fn forbidden_reason(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => forbidden_v6(v6),
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    if ip.is_loopback() {
        return Some("a loopback address (127.0.0.0/8, RFC 1122)");
    }
    if ip.is_unspecified() || a == 0 {
        // On Linux a connection to 0.0.0.0 reaches the local host.
        return Some("the \"this network\" range (0.0.0.0/8, RFC 791, RFC 6890)");
    }
    if ip.is_private() {
        return Some("a private address (RFC 1918)");
    }
    if ip.is_link_local() {
        return Some("a link-local address (169.254.0.0/16, RFC 3927)");
    }
    if a == 100 && (b & 0xc0) == 64 {
        return Some("a shared (carrier-grade NAT) address (100.64.0.0/10, RFC 6598)");
    }
    if a == 192 && b == 0 && c == 0 {
        return Some("an IETF protocol assignment (192.0.0.0/24, RFC 6890)");
    }
    if (a == 192 && b == 0 && c == 2)
        || (a == 198 && b == 51 && c == 100)
        || (a == 203 && b == 0 && c == 113)
    {
        return Some("a documentation address (RFC 5737)");
    }
    if a == 192 && b == 88 && c == 99 {
        return Some("the deprecated 6to4 relay anycast range (192.88.99.0/24, RFC 7526)");
    }
    if a == 198 && (b & 0xfe) == 18 {
        return Some("a benchmarking address (198.18.0.0/15, RFC 2544)");
    }
    if ip.is_multicast() {
        return Some("a multicast address (224.0.0.0/4, RFC 5771)");
    }
    if ip.is_broadcast() {
        return Some("the broadcast address (RFC 919)");
    }
    if a >= 240 {
        return Some("a reserved address (240.0.0.0/4, RFC 1112)");
    }
    None
}

fn forbidden_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let s = ip.segments();
    if ip.is_loopback() {
        return Some("the IPv6 loopback address (::1, RFC 4291)");
    }
    if ip.is_unspecified() {
        return Some("the unspecified IPv6 address (::, RFC 4291)");
    }
    // IPv4-mapped (::ffff:0:0/96, RFC 4291): the IPv4 rules decide.
    if let Some(v4) = ip.to_ipv4_mapped() {
        return forbidden_v4(v4)
            .map(|_| "an IPv4-mapped IPv6 address of a forbidden IPv4 address (RFC 4291)");
    }
    if s[0..6] == [0; 6] {
        return Some("a deprecated IPv4-compatible IPv6 address (::/96, RFC 4291)");
    }
    // NAT64 well-known prefix (64:ff9b::/96, RFC 6052): the embedded IPv4 address decides.
    if s[0..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        let v4 = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
        return forbidden_v4(v4)
            .map(|_| "a NAT64 address of a forbidden IPv4 address (64:ff9b::/96, RFC 6052)");
    }
    if s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1 {
        return Some("a local-use NAT64 address (64:ff9b:1::/48, RFC 8215)");
    }
    if s[0] == 0x100 && s[1..4] == [0, 0, 0] {
        return Some("a discard-only address (100::/64, RFC 6666)");
    }
    // 6to4 (2002::/16, RFC 3056): the embedded IPv4 address is where the packets go.
    if s[0] == 0x2002 {
        let v4 = Ipv4Addr::new((s[1] >> 8) as u8, s[1] as u8, (s[2] >> 8) as u8, s[2] as u8);
        return forbidden_v4(v4)
            .map(|_| "a 6to4 address of a forbidden IPv4 address (2002::/16, RFC 3056)");
    }
    if s[0] == 0x2001 && s[1] < 0x200 {
        // Teredo (2001::/32, RFC 4380), benchmarking (2001:2::/48, RFC 5180), ORCHID (RFC 7343)…
        return Some(
            "an IETF protocol assignment (2001::/23, RFC 2928), e.g. Teredo or benchmarking",
        );
    }
    if s[0] == 0x2001 && s[1] == 0xdb8 {
        return Some("a documentation address (2001:db8::/32, RFC 3849)");
    }
    if (s[0] & 0xfff0) == 0x3ff0 {
        return Some("a documentation address (3fff::/20, RFC 9637)");
    }
    if ip.is_unique_local() {
        return Some("a unique-local address (fc00::/7, RFC 4193)");
    }
    if ip.is_unicast_link_local() {
        return Some("a link-local address (fe80::/10, RFC 4291)");
    }
    if (s[0] & 0xffc0) == 0xfec0 {
        return Some("a deprecated site-local address (fec0::/10, RFC 3879)");
    }
    if ip.is_multicast() {
        return Some("a multicast address (ff00::/8, RFC 4291)");
    }
    None
}

/// The `host[:port]` an allow-list is asked about: the port only when it is not the scheme's
/// default, IPv6 literals in brackets (`[::1]:8080`).
pub fn host_key(url: &Url) -> String {
    // `host_str` already writes IPv6 literals in brackets.
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

/// Whether the test-only loopback exception covers `url`: the policy allows it and the URL
/// names a loopback address itself (`127.x.x.x`, `[::1]`) or `localhost`.
pub fn loopback_exception(url: &Url, policy: &FetchPolicy) -> bool {
    policy.allow_http_loopback
        && match ip_literal(url) {
            Some(ip) => ip.is_loopback(),
            None => url
                .host_str()
                .is_some_and(|d| d.eq_ignore_ascii_case("localhost")),
        }
}

/// The address of a URL whose host is an IP literal (as the URL parser normalised it).
pub fn ip_literal(url: &Url) -> Option<IpAddr> {
    let host = url.host_str()?;
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    bare.parse().ok()
}

/// The checks made before a request (the first one and every redirect): the scheme, no
/// credentials in the URL, an IP-literal host's address, and the host allow-list.
pub fn check_url(
    url: &Url,
    policy: &FetchPolicy,
    hosts: &dyn super::AllowedHosts,
) -> Result<(), FetchError> {
    let shown = super::shown(url.as_str());
    let test_loopback = loopback_exception(url, policy);
    if !matches!(url.scheme(), "https" | "http") {
        return Err(FetchError::NotHttps { url: shown });
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(FetchError::InvalidUrl {
            url: shown,
            reason: "the URL has no host".into(),
        });
    }
    // The address first: it is the more telling reason when both it and the scheme refuse.
    if let Some(ip) = ip_literal(url) {
        if let Some(reason) = forbidden_reason(ip) {
            if !test_loopback {
                return Err(FetchError::ForbiddenAddress {
                    url: shown,
                    address: ip.to_string(),
                    reason,
                });
            }
        }
    }
    if url.scheme() == "http" && !test_loopback {
        return Err(FetchError::NotHttps { url: shown });
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(FetchError::InvalidUrl {
            url: shown,
            reason: "a URL with credentials in it is not fetched".into(),
        });
    }
    let key = host_key(url);
    if !hosts.allows(&key) {
        return Err(FetchError::HostNotAllowed {
            url: shown,
            host: key,
        });
    }
    Ok(())
}

/// A resolver refused an address: carried through the HTTP client's error chain and turned
/// back into [`FetchError::ForbiddenAddress`].
#[derive(Debug)]
pub struct AddressRefused {
    pub host: String,
    pub address: IpAddr,
    pub reason: &'static str,
}

impl fmt::Display for AddressRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} resolves to {}, {}",
            self.host, self.address, self.reason
        )
    }
}

impl std::error::Error for AddressRefused {}

/// The HTTP client's resolver: resolves, then refuses the whole answer if any address in it is
/// forbidden. With the test-only loopback exception, `localhost` may resolve to loopback
/// addresses (only those); any other name that resolves to loopback is refused.
#[derive(Clone)]
pub struct GuardedResolver {
    pub lookup: Option<Resolve>,
    pub allow_localhost: bool,
}

impl GuardedResolver {
    async fn addresses(
        &self,
        host: &str,
    ) -> Result<Vec<IpAddr>, Box<dyn std::error::Error + Send + Sync>> {
        let found: Vec<IpAddr> = match &self.lookup {
            Some(lookup) => lookup(host)?,
            None => tokio::net::lookup_host((host, 0))
                .await?
                .map(|a| a.ip())
                .collect(),
        };
        if found.is_empty() {
            return Err(format!("{host} resolves to no address").into());
        }
        let localhost = self.allow_localhost && host.eq_ignore_ascii_case("localhost");
        for &address in &found {
            if let Some(reason) = forbidden_reason(address) {
                if localhost && address.is_loopback() {
                    continue;
                }
                return Err(Box::new(AddressRefused {
                    host: host.to_owned(),
                    address,
                    reason,
                }));
            }
        }
        Ok(found)
    }
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let this = self.clone();
        let host = name.as_str().to_owned();
        let future: Pin<Box<dyn Future<Output = _> + Send>> = Box::pin(async move {
            let found = this.addresses(&host).await?;
            // The connector sets the URL's port on each address.
            let addrs: reqwest::dns::Addrs =
                Box::new(found.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        });
        future
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forbidden(s: &str) -> bool {
        forbidden_reason(s.parse().unwrap()).is_some()
    }

    #[test]
    fn refuses_every_non_public_range() {
        for addr in [
            "127.0.0.1",
            "127.255.255.254",
            "0.0.0.0",
            "0.1.2.3",
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "198.51.100.7",
            "203.0.113.9",
            "192.88.99.1",
            "198.18.0.1",
            "198.19.255.255",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "::ffff:127.0.0.1",
            "::ffff:10.1.2.3",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::1",
            "100::1",
            "2002:7f00:1::",
            "2001::1",
            "2001:2::1",
            "2001:db8::1",
            "3fff::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "febf::1",
            "fec0::1",
            "ff02::1",
        ] {
            assert!(forbidden(addr), "{addr} should be refused");
        }
    }

    #[test]
    fn allows_public_addresses_next_to_the_forbidden_ranges() {
        for addr in [
            "1.1.1.1",
            "8.8.8.8",
            "100.63.255.255",
            "100.128.0.1",
            "172.15.255.255",
            "172.32.0.1",
            "192.0.1.1",
            "192.169.0.1",
            "198.17.255.255",
            "198.20.0.1",
            "223.255.255.255",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
            "2001:200::1",
            "2606:4700:4700::1111",
            "2a00:1450:4001::1",
        ] {
            assert!(
                !forbidden(addr),
                "{addr} should be allowed: {:?}",
                forbidden_reason(addr.parse().unwrap())
            );
        }
    }

    #[test]
    fn check_url_applies_the_production_rules_without_the_test_mode() {
        let hosts = crate::fetch::StaticHosts(vec![
            "node.example".into(),
            "127.0.0.1:8080".into(),
            "localhost:8080".into(),
        ]);
        let check =
            |u: &str, policy: &FetchPolicy| check_url(&Url::parse(u).unwrap(), policy, &hosts);
        let production = FetchPolicy::default();
        let tests = FetchPolicy {
            allow_http_loopback: true,
            ..FetchPolicy::default()
        };
        assert!(check("https://node.example/list", &production).is_ok());
        for (u, policy) in [
            ("http://node.example/list", &production),
            ("http://node.example/list", &tests),
            ("http://localhost:8080/list", &production),
            ("ftp://node.example/list", &tests),
            ("file:///etc/passwd", &tests),
        ] {
            assert!(
                matches!(check(u, policy), Err(FetchError::NotHttps { .. })),
                "{u}"
            );
        }
        for u in [
            "https://127.0.0.1:8080/list",
            "http://127.0.0.1:8080/list",
            "https://[::1]:8080/",
        ] {
            assert!(
                matches!(
                    check(u, &production),
                    Err(FetchError::ForbiddenAddress { .. })
                ),
                "{u}"
            );
        }
        assert!(check("http://127.0.0.1:8080/list", &tests).is_ok());
        assert!(check("http://localhost:8080/list", &tests).is_ok());
        assert!(matches!(
            check("https://user:pw@node.example/list", &production),
            Err(FetchError::InvalidUrl { .. })
        ));
        assert!(matches!(
            check("https://other.example/list", &production),
            Err(FetchError::HostNotAllowed { .. })
        ));
        assert!(matches!(
            check("https://node.example:8443/list", &production),
            Err(FetchError::HostNotAllowed { .. })
        ));
    }

    #[test]
    fn host_key_names_the_port_only_when_it_is_not_the_default() {
        let key = |u: &str| host_key(&Url::parse(u).unwrap());
        assert_eq!(key("https://Node.Example/x"), "node.example");
        assert_eq!(key("https://node.example:443/x"), "node.example");
        assert_eq!(key("https://node.example:8443/x"), "node.example:8443");
        assert_eq!(key("http://127.0.0.1:8080/x"), "127.0.0.1:8080");
        assert_eq!(key("https://[::1]:8443/x"), "[::1]:8443");
        // WHATWG URL parsing turns odd IPv4 spellings into the dotted form the check sees.
        assert_eq!(key("https://2130706433/x"), "127.0.0.1");
        assert_eq!(key("https://0x7f.1/x"), "127.0.0.1");
    }
}
