"""The SSRF guard: refused addresses in every spelling, on every hop, at connect time."""

from __future__ import annotations

import pytest

from newsarchive.errors import BlockedURL, PrivateAddressError, TooManyRedirects
from newsarchive.fetch.client import Fetcher
from newsarchive.fetch.guard import AddressPolicy
from tests.fetch.helpers import fetch_settings, local_site, run
from tests.sites import LocalSite, Reply

PAGE = "<html><body><p>hello</p></body></html>"
REFUSED = [
    "127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
    "169.254.1.1", "100.64.0.1", "100.127.255.254", "0.0.0.0", "224.0.0.1", "240.0.0.1",
    "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "::ffff:127.0.0.1",
    "::ffff:10.0.0.1", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::",
    "2001:db8::1", "ff02::1",
]
ALLOWED = ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8",
           "64:ff9b::808:808"]


@pytest.mark.parametrize("address", REFUSED)
def test_policy_refuses_non_public_addresses(address: str) -> None:
    assert not AddressPolicy().is_allowed(address)


@pytest.mark.parametrize("address", ALLOWED)
def test_policy_allows_public_addresses(address: str) -> None:
    assert AddressPolicy().is_allowed(address)


def test_allowlist_permits_only_its_ranges() -> None:
    policy = AddressPolicy(allowlist=["127.0.0.2/32", "fd00::/8"])
    assert policy.is_allowed("127.0.0.2") and policy.is_allowed("fd00::5")
    assert not policy.is_allowed("127.0.0.3") and not policy.is_allowed("10.0.0.1")


def refusing() -> Fetcher:
    return Fetcher(fetch_settings(allow_private_networks=False))


@pytest.mark.parametrize("host", ["127.0.0.1", "[::1]", "[::ffff:127.0.0.1]", "2130706433",
                                  "0x7f000001", "0177.0.0.1", "127.1", "localhost"])
def test_loopback_in_every_spelling_is_refused(site: LocalSite, host: str) -> None:
    site.add("/a", PAGE)
    # refused as a private address, or (httpx's parser) as no valid IPv4 address at all
    with pytest.raises(BlockedURL, match="private address|not a valid URL"):
        run(refusing().fetch(f"http://{host}:{site.port}/a"))
    assert site.requests == []


@pytest.mark.parametrize("address", ["169.254.169.254", "100.64.0.1", "10.1.2.3",
                                     "64:ff9b::a9fe:a9fe", "fe80::1"])
def test_names_resolving_to_refused_addresses_are_not_dialled(address: str) -> None:
    dialled: list[str] = []

    async def resolver(host: str, port: int) -> list[str]:
        dialled.append(host)
        return [address]

    fetcher = Fetcher(fetch_settings(allow_private_networks=False), resolver=resolver)
    with pytest.raises(PrivateAddressError, match=address):
        run(fetcher.fetch("http://metadata.example.test/latest/meta-data/"))
    assert dialled == ["metadata.example.test"]


def test_mixed_answer_dials_only_the_allowed_address() -> None:
    with local_site("127.0.0.2") as good:
        good.add("/robots.txt", Reply(404))
        good.add("/a", PAGE)

        async def resolver(host: str, port: int) -> list[str]:
            return ["10.0.0.1", "127.0.0.2"]

        settings = fetch_settings(allow_private_networks=False,
                                  private_network_allowlist=["127.0.0.2/32"])
        result = run(Fetcher(settings, resolver=resolver).fetch(f"http://news.test:{good.port}/a"))
        assert result.ip_address == "127.0.0.2"


def test_allowlist_setting_permits_a_range_and_no_more() -> None:
    with local_site("127.0.0.2") as allowed, local_site("127.0.0.3") as other:
        for s in (allowed, other):
            s.add("/robots.txt", Reply(404))
            s.add("/a", PAGE)
        settings = fetch_settings(allow_private_networks=False,
                                  private_network_allowlist=["127.0.0.2/32"])

        async def go() -> None:
            async with Fetcher(settings) as fetcher:
                assert (await fetcher.fetch(allowed.url("/a"))).status == 200
                with pytest.raises(PrivateAddressError):
                    await fetcher.fetch(other.url("/a"))

        run(go())
        assert other.requests == []


def test_allowlist_of_all_loopback(site: LocalSite) -> None:
    site.add("/a", PAGE)
    settings = fetch_settings(allow_private_networks=False,
                              private_network_allowlist=["127.0.0.0/8"])
    assert run(Fetcher(settings).fetch(site.url("/a"))).status == 200


@pytest.mark.parametrize("target", ["http://127.0.0.3:{port}/a", "http://169.254.169.254/x",
                                    "http://[::1]:{port}/a", "http://2130706435:{port}/a"])
def test_redirect_hop_to_a_refused_address_is_refused(target: str) -> None:
    with local_site("127.0.0.2") as start, local_site("127.0.0.3", port=0) as inside:
        start.add("/robots.txt", Reply(404))
        start.add("/go", Reply(302, headers={"Location": target.format(port=inside.port)}))
        inside.add("/a", PAGE)
        settings = fetch_settings(allow_private_networks=False,
                                  private_network_allowlist=["127.0.0.2/32"])
        with pytest.raises(PrivateAddressError):
            run(Fetcher(settings).fetch(start.url("/go")))
        assert inside.requests == []


def test_dns_rebinding_is_caught_at_connect_time() -> None:
    """The name answers an allowed address first, a refused one next: the second
    connection is refused, because the address checked is the address dialled."""
    with local_site("127.0.0.2") as public:
        with local_site("127.0.0.3", port=public.port) as private:
            for s in (public, private):
                s.add("/robots.txt", Reply(404, headers={"Connection": "close"}))
                s.add("/a", Reply(body=PAGE, headers={"Connection": "close"}))
                s.add("/b", Reply(body=PAGE, headers={"Connection": "close"}))
            answers = {"rebound": False}

            async def resolver(host: str, port: int) -> list[str]:
                return ["127.0.0.3"] if answers["rebound"] else ["127.0.0.2"]

            settings = fetch_settings(allow_private_networks=False,
                                      private_network_allowlist=["127.0.0.2/32"])

            async def go() -> None:
                async with Fetcher(settings, resolver=resolver) as fetcher:
                    url = f"http://rebind.test:{public.port}"
                    first = await fetcher.fetch(url + "/a")
                    assert first.ip_address == "127.0.0.2"
                    answers["rebound"] = True
                    with pytest.raises(PrivateAddressError, match="127.0.0.3"):
                        await fetcher.fetch(url + "/b")

            run(go())
            assert [r.path for r in public.requests] == ["/robots.txt", "/a"]
            assert private.requests == []


@pytest.mark.parametrize("location", ["file:///etc/passwd", "javascript:alert(1)",
                                      "ftp://example.com/x", "gopher://example.com/"])
def test_redirects_to_other_schemes_are_refused(site: LocalSite, location: str) -> None:
    site.add("/go", Reply(302, headers={"Location": location}))
    with pytest.raises(BlockedURL, match="http\\(s\\) URL"):
        run(Fetcher(fetch_settings()).fetch(site.url("/go")))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/", "javascript:1"])
def test_other_schemes_are_refused_before_any_request(url: str) -> None:
    with pytest.raises(BlockedURL):
        run(Fetcher(fetch_settings()).fetch(url))


def test_redirect_loop_is_refused(site: LocalSite) -> None:
    site.add("/a", Reply(302, headers={"Location": "/b"}))
    site.add("/b", Reply(301, headers={"Location": "/a"}))
    with pytest.raises(TooManyRedirects, match="loop"):
        run(Fetcher(fetch_settings()).fetch(site.url("/a")))
    assert len(site.hits("/a")) == 1


def test_more_hops_than_allowed_are_refused(site: LocalSite) -> None:
    for i in range(12):
        site.add(f"/r{i}", Reply(302, headers={"Location": f"/r{i + 1}"}))
    site.add("/r12", PAGE)
    with pytest.raises(TooManyRedirects, match="more than 10"):
        run(Fetcher(fetch_settings(max_redirects=10)).fetch(site.url("/r0")))
    assert site.hits("/r11") == []
    result = run(Fetcher(fetch_settings(max_redirects=12)).fetch(site.url("/r0")))
    assert result.final_url.endswith("/r12") and len(result.redirects) == 12
