"""The studio's language table: one code per language, and every spelling models use for it.

Codes are ISO 639-1 where one exists, else ISO 639-3; a script variant gets a BCP 47
suffix (`zh-Hant`). Each language also knows its ISO 639-3 code (opus-mt's `>>por<<`),
its FLORES-200 code (NLLB's `por_Latn`) and older or macro-language aliases (M2M100's
`ns`, `no`; `cmn`, `iw`). The translate engine maps each model's own codes onto this
table, so pickers and error messages speak one language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studio.core.errors import ValidationError


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    iso3: str
    flores: str | None = None  # FLORES-200, as NLLB spells it
    aliases: tuple[str, ...] = ()

    def spellings(self) -> tuple[str, ...]:
        """Every code a model may use for this language, the studio's own first."""
        names = [self.code, self.code.replace("-", "_"), self.iso3, *self.aliases]
        if self.flores:
            names.append(self.flores)
        return tuple(dict.fromkeys(names))


# `code iso3 flores|- aliases,|- Name`, separated by `;`: every NLLB-200 and M2M100 language,
# plus a few more that Marian and MADLAD models have.
_TABLE = """
ace ace ace_Latn - Acehnese; ace-Arab ace ace_Arab - Acehnese (Arabic script)
acm acm acm_Arab - Mesopotamian Arabic; acq acq acq_Arab - Ta'izzi-Adeni Arabic
aeb aeb aeb_Arab - Tunisian Arabic; af afr afr_Latn - Afrikaans
ajp ajp ajp_Arab - South Levantine Arabic; ak aka aka_Latn - Akan; am amh amh_Ethi - Amharic
apc apc apc_Arab - North Levantine Arabic; ar ara arb_Arab arb Arabic
ars ars ars_Arab - Najdi Arabic; ary ary ary_Arab - Moroccan Arabic
arz arz arz_Arab - Egyptian Arabic; as asm asm_Beng - Assamese; ast ast ast_Latn - Asturian
awa awa awa_Deva - Awadhi; ay aym ayr_Latn ayr Aymara; az aze azj_Latn azj Azerbaijani
azb azb azb_Arab - South Azerbaijani; ba bak bak_Cyrl - Bashkir; ban ban ban_Latn - Balinese
be bel bel_Cyrl - Belarusian; bem bem bem_Latn - Bemba; bg bul bul_Cyrl - Bulgarian
bho bho bho_Deva - Bhojpuri; bjn bjn bjn_Latn - Banjar
bjn-Arab bjn bjn_Arab - Banjar (Arabic script); bm bam bam_Latn - Bambara
bn ben ben_Beng - Bengali; bo bod bod_Tibt tib Tibetan; br bre - - Breton
bs bos bos_Latn - Bosnian; bug bug bug_Latn - Buginese; ca cat cat_Latn - Catalan
ceb ceb ceb_Latn - Cebuano; cjk cjk cjk_Latn - Chokwe; ckb ckb ckb_Arab - Central Kurdish
co cos - - Corsican; crh crh crh_Latn - Crimean Tatar; cs ces ces_Latn cze Czech
cy cym cym_Latn wel Welsh; da dan dan_Latn - Danish; de deu deu_Latn ger German
dik dik dik_Latn - Southwestern Dinka; dyu dyu dyu_Latn - Dyula; dz dzo dzo_Tibt - Dzongkha
ee ewe ewe_Latn - Ewe; el ell ell_Grek gre Greek; en eng eng_Latn - English
eo epo epo_Latn - Esperanto; es spa spa_Latn - Spanish; et est est_Latn ekk Estonian
eu eus eus_Latn baq Basque; fa fas pes_Arab pes,per Persian; ff ful fuv_Latn fuv Fulah
fi fin fin_Latn - Finnish; fj fij fij_Latn - Fijian; fo fao fao_Latn - Faroese
fon fon fon_Latn - Fon; fr fra fra_Latn fre French; fur fur fur_Latn - Friulian
fy fry - - Western Frisian; ga gle gle_Latn - Irish; gd gla gla_Latn - Scottish Gaelic
gl glg glg_Latn - Galician; gn grn grn_Latn - Guarani; gu guj guj_Gujr - Gujarati
ha hau hau_Latn - Hausa; haw haw - - Hawaiian; he heb heb_Hebr iw Hebrew; hi hin hin_Deva - Hindi
hmn hmn - - Hmong; hne hne hne_Deva - Chhattisgarhi; hr hrv hrv_Latn - Croatian
ht hat hat_Latn - Haitian Creole; hu hun hun_Latn - Hungarian; hy hye hye_Armn arm Armenian
id ind ind_Latn in Indonesian; ig ibo ibo_Latn - Igbo; ilo ilo ilo_Latn - Ilocano
is isl isl_Latn ice Icelandic; it ita ita_Latn - Italian; ja jpn jpn_Jpan - Japanese
jv jav jav_Latn jw Javanese; ka kat kat_Geor geo Georgian; kab kab kab_Latn - Kabyle
kac kac kac_Latn - Jingpho; kam kam kam_Latn - Kamba; kbp kbp kbp_Latn - Kabiyè
kea kea kea_Latn - Kabuverdianu; kg kon kon_Latn - Kikongo; ki kik kik_Latn - Kikuyu
kk kaz kaz_Cyrl - Kazakh; km khm khm_Khmr - Khmer; kmb kmb kmb_Latn - Kimbundu
kn kan kan_Knda - Kannada; knc knc knc_Latn - Central Kanuri
knc-Arab knc knc_Arab - Central Kanuri (Arabic script); ko kor kor_Hang - Korean
ks kas kas_Arab - Kashmiri; ks-Deva kas kas_Deva - Kashmiri (Devanagari)
ku kur kmr_Latn kmr Kurdish (Kurmanji); ky kir kir_Cyrl - Kyrgyz; la lat - - Latin
lb ltz ltz_Latn - Luxembourgish; lg lug lug_Latn - Ganda; li lim lim_Latn - Limburgish
lij lij lij_Latn - Ligurian; lmo lmo lmo_Latn - Lombard; ln lin lin_Latn - Lingala
lo lao lao_Laoo - Lao; lt lit lit_Latn - Lithuanian; ltg ltg ltg_Latn - Latgalian
lua lua lua_Latn - Luba-Kasai; luo luo luo_Latn - Luo; lus lus lus_Latn - Mizo
lv lav lvs_Latn lvs Latvian; mag mag mag_Deva - Magahi; mai mai mai_Deva - Maithili
mg mlg plt_Latn plt Malagasy; mi mri mri_Latn mao Maori; min min min_Latn - Minangkabau
mk mkd mkd_Cyrl mac Macedonian; ml mal mal_Mlym - Malayalam; mn mon khk_Cyrl khk Mongolian
mni mni mni_Beng - Meitei; mos mos mos_Latn - Mossi; mr mar mar_Deva - Marathi
ms msa zsm_Latn zsm,may Malay; mt mlt mlt_Latn - Maltese; my mya mya_Mymr bur Burmese
nb nob nob_Latn no,nor Norwegian Bokmål; ne nep npi_Deva npi Nepali; nl nld nld_Latn dut Dutch
nn nno nno_Latn - Norwegian Nynorsk; nso nso nso_Latn ns Northern Sotho; nus nus nus_Latn - Nuer
ny nya nya_Latn - Nyanja; oc oci oci_Latn - Occitan; om orm gaz_Latn gaz Oromo
or ori ory_Orya ory Odia; pa pan pan_Guru - Punjabi; pag pag pag_Latn - Pangasinan
pap pap pap_Latn - Papiamento; pl pol pol_Latn - Polish; prs prs prs_Arab - Dari
ps pus pbt_Arab pbt Pashto; pt por por_Latn - Portuguese; qu que quy_Latn quy Quechua
rn run run_Latn - Rundi; ro ron ron_Latn rum,mo Romanian; ru rus rus_Cyrl - Russian
rw kin kin_Latn - Kinyarwanda; sa san san_Deva - Sanskrit; sat sat sat_Beng sat_Olck Santali
sc srd srd_Latn - Sardinian; scn scn scn_Latn - Sicilian; sd snd snd_Arab - Sindhi
sg sag sag_Latn - Sango; shn shn shn_Mymr - Shan; si sin sin_Sinh - Sinhala
sk slk slk_Latn slo Slovak; sl slv slv_Latn - Slovenian; sm smo smo_Latn - Samoan
sn sna sna_Latn - Shona; so som som_Latn - Somali; sq sqi als_Latn als,alb Albanian
sr srp srp_Cyrl - Serbian; ss ssw ssw_Latn - Swati; st sot sot_Latn - Southern Sotho
su sun sun_Latn - Sundanese; sv swe swe_Latn - Swedish; sw swa swh_Latn swh Swahili
szl szl szl_Latn - Silesian; ta tam tam_Taml - Tamil; taq taq taq_Latn - Tamasheq
taq-Tfng taq taq_Tfng - Tamasheq (Tifinagh); te tel tel_Telu - Telugu; tg tgk tgk_Cyrl - Tajik
th tha tha_Thai - Thai; ti tir tir_Ethi - Tigrinya; tk tuk tuk_Latn - Turkmen
tl tgl tgl_Latn fil Tagalog; tn tsn tsn_Latn - Tswana; tpi tpi tpi_Latn - Tok Pisin
tr tur tur_Latn - Turkish; ts tso tso_Latn - Tsonga; tt tat tat_Cyrl - Tatar
tum tum tum_Latn - Tumbuka; tw twi twi_Latn - Twi; tzm tzm tzm_Tfng - Central Atlas Tamazight
ug uig uig_Arab - Uyghur; uk ukr ukr_Cyrl - Ukrainian; umb umb umb_Latn - Umbundu
ur urd urd_Arab - Urdu; uz uzb uzn_Latn uzn Uzbek; vec vec vec_Latn - Venetian
vi vie vie_Latn - Vietnamese; war war war_Latn - Waray; wo wol wol_Latn - Wolof
xh xho xho_Latn - Xhosa; yi yid ydd_Hebr ydd Yiddish; yo yor yor_Latn - Yoruba
yue yue yue_Hant - Cantonese; zh zho zho_Hans cmn,chi,zh_Hans,cmn_Hans Chinese (Simplified)
zh-Hant zho zho_Hant cmn_Hant Chinese (Traditional); zu zul zul_Latn - Zulu
"""


def _parse(table: str) -> dict[str, Language]:
    languages = {}
    for entry in re.split(r"[;\n]", table.strip()):
        code, iso3, flores, aliases, name = entry.split(maxsplit=4)
        languages[code] = Language(
            code, name, iso3, None if flores == "-" else flores,
            () if aliases == "-" else tuple(aliases.split(",")),
        )  # fmt: skip
    return languages


def _key(code: str) -> str:
    return code.strip().casefold().replace("-", "_")


def _index(languages: dict[str, Language]) -> dict[str, Language]:
    """Every spelling to its language: the studio's own codes first, then the first
    language in the table to use a spelling (`ace` is Acehnese, not its Arabic-script row)."""
    index: dict[str, Language] = {}
    for language in languages.values():
        index.setdefault(_key(language.code), language)
    for language in languages.values():
        for spelling in language.spellings():
            index.setdefault(_key(spelling), language)
    return index


LANGUAGES: dict[str, Language] = _parse(_TABLE)
_BY_SPELLING = _index(LANGUAGES)
_VARIANT = re.compile(r"^([A-Za-z]{2,3})[_-]([A-Za-z0-9]{2,8})$")


def find_language(code: str) -> Language | None:
    """The language a code names: the studio's code, ISO 639-3, FLORES-200 or an alias."""
    return _BY_SPELLING.get(_key(code))


def get_language(code: object, field: str = "language") -> Language:
    """find_language, or a one-line ValidationError for a code that names no language."""
    found = find_language(code) if isinstance(code, str) else None
    if found is None:
        raise ValidationError(
            f"unknown {field} code {code!r} (use ISO 639-1 codes such as en, pt, de, "
            "or ISO 639-3 / FLORES-200 codes such as por, por_Latn)"
        )
    return found


def language_for_model_code(code: str) -> Language | None:
    """A model's own code mapped onto the table: exact spelling first, then its base
    language with the script/region (`cmn_Hant` -> zh-Hant, `pt_br` -> pt)."""
    exact = find_language(code)
    if exact is not None:
        return exact
    match = _VARIANT.match(code.strip())
    base = find_language(match.group(1)) if match else None
    if base is None or match is None:
        return None
    return find_language(f"{base.code}-{match.group(2)}") or base


def describe(code: str) -> str:
    """`pt (Portuguese)`, for messages."""
    language = find_language(code)
    return f"{code} ({language.name})" if language else code


@dataclass(frozen=True)
class LanguageSupport:
    """What one model translates, in the table's codes (for pickers and checks)."""

    model: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    # Only these (source, target) pairs; None: any source to any other target.
    pairs: frozenset[tuple[str, str]] | None = None

    def supports(self, source: str, target: str) -> bool:
        if self.pairs is not None:
            return (source, target) in self.pairs
        return source != target and source in self.sources and target in self.targets

    def targets_for(self, source: str) -> tuple[str, ...]:
        return tuple(t for t in self.targets if self.supports(source, t))

    def check(self, source: str, target: str) -> None:
        """A one-line ValidationError naming what the model does support."""
        if self.supports(source, target):
            return
        if source == target:
            raise ValidationError(f"source and target are both {describe(source)}")
        if self.pairs is not None:
            listed = _listing([f"{s}->{t}" for s, t in sorted(self.pairs)])
            raise ValidationError(
                f"{self.model} does not translate {source} to {target}; it translates {listed}"
            )
        for side, code, codes in (("from", source, self.sources), ("into", target, self.targets)):
            if code not in codes:
                raise ValidationError(
                    f"{self.model} does not translate {side} {describe(code)}; "
                    f"it translates {side} {_listing(codes)}"
                )


def _listing(codes: list[str] | tuple[str, ...], at_most: int = 40) -> str:
    shown = ", ".join(codes[:at_most])
    more = len(codes) - at_most
    return shown + (f" and {more} more ({len(codes)} in all)" if more > 0 else "")
