"""Ids too large for the database are URLs that match nothing, never a server error."""
import pytest


@pytest.mark.parametrize("url", ["/listings/99999999999999999999", "/cooperatives/4294967296",
                                 "/listings/2147483648"])
def test_huge_ids_are_not_found(client, url):
    assert client.get(url).status_code == 404
