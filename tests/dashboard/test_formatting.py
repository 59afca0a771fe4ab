from decimal import Decimal

from dashboards import formatting


def test_amounts_round_half_up_to_cents_with_thousands_separators() -> None:
    assert formatting.wan(Decimal("1408104.185")) == "1,408,104.19"
    assert formatting.wan(Decimal("0.004")) == "0.00"
    assert formatting.signed_wan(Decimal("-1234.5")) == "-1,234.50"
    assert formatting.signed_wan(Decimal("20")) == "+20.00"


def test_missing_values_say_no_data_instead_of_zero() -> None:
    for write in (formatting.wan, formatting.signed_wan, formatting.percent, formatting.share):
        assert write(None) == formatting.NO_DATA
        assert write(float("nan")) == formatting.NO_DATA
    assert formatting.wan(Decimal("0")) == "0.00"


def test_shares_and_percentages() -> None:
    assert formatting.share(Decimal("0.8333")) == "83.33%"
    assert formatting.share(Decimal("1.0000")) == "100.00%"
    assert formatting.percent(Decimal("95")) == "95.00%"
    assert formatting.signed_percent(Decimal("167.98")) == "+167.98%"
    assert formatting.signed_percent(Decimal("-3.255")) == "-3.26%"
    assert formatting.ratio(Decimal("5.355")) == "5.36"
    assert formatting.plain(Decimal("1.3200")) == "1.32"
    assert formatting.plain(None) == "—"


def test_text_from_the_data_is_escaped_for_markdown() -> None:
    # st.table, headers and alerts render Markdown: a printed ">" must not become a block quote.
    assert formatting.markdown_safe(">3.1万条/月") == "\\>3.1万条/月"
    assert formatting.markdown_safe("- 降低") == "\\- 降低"
    assert formatting.markdown_safe("目标\n1. 就业") == "目标\n1\\. 就业"
    assert formatting.markdown_safe("a*b* $5$ :x:") == "a\\*b\\* \\$5\\$ \\:x\\:"
    # Figures need no escaping, so what the browser test looks for is the formatted value.
    for figure in ("1,408,104.19", "-1,234.50", "+2,009.32", "83.33%", "1.32", "2026"):
        assert formatting.markdown_safe(figure) == figure
