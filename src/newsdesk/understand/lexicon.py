"""Small word lists the entity and figure code leans on where the small model is weak.

``en_core_web_sm`` often tags a country standing alone ("Mali's junta", "to
neighbouring Niger") as a person; a list of countries and regions fixes that
class of error cheaply. Titles and honorifics tell a role apart from a name:
"Defence Minister" is a role, "Mr." is neither a role nor part of the name.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """A word list written as text, one or more words a line."""
    return frozenset(text.split())


#: Words before a name that are courtesy, not a role: dropped from names, not kept as roles.
HONORIFICS = words(
    """
    mr mr. mrs mrs. ms ms. miss mx mx. dr dr. sir dame lord lady madam madame monsieur
    mme mme. m. herr frau senor señor senora señora
    """
)

#: Words that make a role when they stand before a name ("President", "Colonel", "Minister").
TITLE_WORDS = words(
    """
    president vice prime minister secretary chancellor premier governor mayor senator
    sen. rep. representative congressman congresswoman councillor councilor king queen
    prince princess emperor pope cardinal bishop archbishop rabbi imam reverend rev.
    father sister general gen. colonel col. major maj. captain capt. lieutenant lt.
    sergeant sgt. commander admiral marshal brigadier corporal private chief judge
    justice attorney prosecutor ambassador envoy spokesman spokeswoman spokesperson
    director chairman chairwoman chair ceo founder leader coach manager professor prof.
    dean superintendent inspector detective officer constable sheriff deputy
    commissioner speaker president-elect minister-elect ayatollah sheikh emir sultan
    crown pm mp mep chief-executive head editor economist analyst
    """
)

#: Lower-case role nouns that, with ``TITLE_WORDS``, describe someone in an apposition.
ROLE_NOUNS = TITLE_WORDS | words(
    """
    official spokesperson adviser advisor aide lawyer researcher scientist expert author
    writer journalist reporter correspondent executive president founder owner analyst
    activist candidate lawmaker legislator member partner resident student teacher
    doctor nurse worker farmer economist historian strategist fellow lecturer head boss
    """
)

#: Small words inside organisation names, skipped when matching an acronym's letters.
ACRONYM_STOPWORDS = words(
    """
    of for and the in on to at de du des la le et
    """
)

_PLACES_TEXT = """
    afghanistan|albania|algeria|andorra|angola|antigua and barbuda|argentina|armenia|australia|
    austria|azerbaijan|bahamas|bahrain|bangladesh|barbados|belarus|belgium|belize|benin|bhutan|
    bolivia|bosnia|bosnia and herzegovina|botswana|brazil|brunei|bulgaria|burkina faso|burundi|
    cambodia|cameroon|canada|cape verde|central african republic|chad|chile|china|colombia|
    comoros|congo|costa rica|croatia|cuba|cyprus|czech republic|czechia|denmark|djibouti|
    dominica|dominican republic|ecuador|egypt|el salvador|equatorial guinea|eritrea|estonia|
    eswatini|ethiopia|fiji|finland|france|gabon|gambia|georgia|germany|ghana|greece|grenada|
    guatemala|guinea|guinea-bissau|guyana|haiti|honduras|hungary|iceland|india|indonesia|iran|
    iraq|ireland|israel|italy|ivory coast|jamaica|japan|jordan|kazakhstan|kenya|kiribati|kosovo|
    kuwait|kyrgyzstan|laos|latvia|lebanon|lesotho|liberia|libya|liechtenstein|lithuania|
    luxembourg|madagascar|malawi|malaysia|maldives|mali|malta|mauritania|mauritius|mexico|
    micronesia|moldova|monaco|mongolia|montenegro|morocco|mozambique|myanmar|burma|namibia|nauru|
    nepal|netherlands|new zealand|nicaragua|niger|nigeria|north korea|north macedonia|norway|
    oman|pakistan|palau|palestine|panama|papua new guinea|paraguay|peru|philippines|poland|
    portugal|qatar|romania|russia|rwanda|samoa|san marino|saudi arabia|senegal|serbia|
    seychelles|sierra leone|singapore|slovakia|slovenia|somalia|south africa|south korea|
    south sudan|spain|sri lanka|sudan|suriname|sweden|switzerland|syria|taiwan|tajikistan|
    tanzania|thailand|timor-leste|togo|tonga|trinidad and tobago|tunisia|turkey|turkmenistan|
    tuvalu|uganda|ukraine|united arab emirates|united kingdom|britain|great britain|england|
    scotland|wales|northern ireland|united states|america|uruguay|uzbekistan|vanuatu|venezuela|
    vietnam|yemen|zambia|zimbabwe|gaza|west bank|crimea|greenland|hong kong|tibet|
    africa|west africa|east africa|north africa|southern africa|central africa|sahel|sahara|
    europe|eastern europe|western europe|asia|central asia|southeast asia|south asia|
    east asia|middle east|latin america|south america|north america|central america|
    caribbean|balkans|baltics|scandinavia|arctic|antarctica|pacific|atlantic|
    mediterranean|gulf|persian gulf|horn of africa|caucasus|siberia|kashmir|donbas|kurdistan
"""
#: Countries and regions, lower-cased: a name here is a place whatever the model says.
PLACES = frozenset(p.strip() for p in _PLACES_TEXT.replace("\n", "").split("|") if p.strip())
