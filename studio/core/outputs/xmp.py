"""The XMP packet that labels an output as AI-generated (IPTC DigitalSourceType)."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

XMP_KEY = "XML:com.adobe.xmp"
_IPTC_BASE = "http://cv.iptc.org/newscodes/digitalsourcetype/"
TRAINED_ALGORITHMIC = _IPTC_BASE + "trainedAlgorithmicMedia"
COMPOSITE_TRAINED_ALGORITHMIC = _IPTC_BASE + "compositeWithTrainedAlgorithmicMedia"


def source_type(edited_real_image: bool) -> str:
    """IPTC code: a fully generated image, or a real image edited by a model."""
    return COMPOSITE_TRAINED_ALGORITHMIC if edited_real_image else TRAINED_ALGORITHMIC


def xmp_packet(digital_source_type: str, creator_tool: str, created: str, description: str) -> str:
    """The packet; an empty `created` leaves the date out (outputs stripped for privacy)."""
    date = f"\n    xmp:CreateDate={quoteattr(created)}" if created else ""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        f"    Iptc4xmpExt:DigitalSourceType={quoteattr(digital_source_type)}\n"
        f"    xmp:CreatorTool={quoteattr(creator_tool)}{date}>\n"
        '   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">'
        f"{escape(description)}</rdf:li></rdf:Alt></dc:description>\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )


def read_source_type(packet: str) -> str | None:
    """The DigitalSourceType URI in an XMP packet, attribute or element form."""
    import re

    match = re.search(
        r"DigitalSourceType(?:=\"([^\"]+)\"|>([^<]+)<|\s+rdf:resource=\"([^\"]+)\")", packet
    )
    if not match:
        return None
    return next(g for g in match.groups() if g)
