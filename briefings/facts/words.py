"""The words that decide what a number counts and whose it is, in the languages KFOR news comes in.

English first, then Serbian/Bosnian/Croatian, Italian, Spanish, Portuguese, Romanian, German and
French where the news about Kosovo is written in them. Every pattern is a flat alternation of words
(no nested repetition), so that finding all its matches in a sentence takes time in proportion to
the sentence.
"""

from __future__ import annotations

from briefings.patterns import LazyPattern


def words(*alternatives: str) -> str:
    """One case-blind alternation of whole words (each may itself be a small pattern)."""
    return r"(?i:\b(?:" + "|".join(alternatives) + r")\b)"


# The mission by name: KFOR (in any case and declension: "KFOR-a", "Kfora", "KFOR-Soldaten") and
# the Kosovo Force in the languages above.
KFOR_NAME = (
    r"(?i:\bk-?for(?=[\W\d_]|a\b|u\b|om\b|e\b|$))"
    r"|(?i:\bkosovo[\s-]+force\b|\bfor[țţ]a\s+kosovo\b|\bfor[çc]a\s+do\s+kosovo\b|"
    r"\bfuerza\s+(?:de\s+)?kosovo\b|\bforza\s+(?:del\s+)?kosovo\b|\bkosovo-?truppe\b)"
)
# NATO, which leads it (and names much else besides), and its names in the languages above.
NATO_NAME = (
    r"\bN(?:ATO|ato)(?:-a|-u|-om)?\b|\bOTAN\b|(?i:\bnorth\s+atlantic\s+treaty\b|"
    r"\btratado\s+do\s+atl[âa]ntico\s+norte\b|\btratatului\s+nord-atlantic\b|\balliance\b|"
    r"\balleanza\b|\balianza\b|\ballianz\b|\balian[țţ]a\b)"
)
# Peacekeeping: the mission's, unless another mission (the UN's, UNIFIL) is named beside it.
PEACEKEEPING = (
    r"(?i:\bpeace-?keep\w*|\bpeace\s+support\b|\bforz[ae]\s+di\s+pace\b|"
    r"\bmantenimiento\s+de\s+la\s+paz\b|\bmanuten[çc][ãa]o\s+da\s+paz\b|"
    r"\bmen[țţ]inerea\s+p[ăa]cii\b|\bfriedens\w*|\bmirovn\w*|\bpaqeruajt\w*|\bcasques?\s+bleus\b)"
)
MISSION_NAMED = LazyPattern(f"{KFOR_NAME}|{NATO_NAME}")
KFOR_NAMED = LazyPattern(KFOR_NAME)
PEACE = LazyPattern(PEACEKEEPING)
MISSION = LazyPattern(f"{KFOR_NAME}|{NATO_NAME}|{PEACEKEEPING}")
# Lower-case substrings one of which every MISSION match holds: a cheap test before the pattern
# (see `holds`; substring tests beat one alternation of them several times over).
MISSION_HINT = (
    "kfor",
    "k-for",
    "kosovo force",
    "kosovo-force",
    "kosovo\tforce",
    "for\u021ba",
    "for\u0163a",
    "for\u00e7a",
    "fuerza",
    "forza",
    "truppe",
    "nato",
    "otan",
    "atlantic",
    "atl\u00e2ntico",
    "alli",
    "alle",
    "alia",
    "peace",
    "pace",
    "paz",
    "p\u0103cii",
    "pacii",
    "friedens",
    "mirovn",
    "paqe",
    "bleus",
)


def holds(lower: str, stems: tuple[str, ...]) -> bool:
    """Whether the lower-cased text holds one of the stems."""
    return any(map(lower.__contains__, stems))


# Forces, missions and bodies that are not KFOR. A national army or government ("the Pentagon",
# "the Bundeswehr"), the parties (Serbia's army, Kosovo's police and security force), other
# missions (UN, EULEX, EUFOR, UNIFIL...), and police of any kind.
OTHER_FORCE = LazyPattern(
    words(
        r"pentagon",
        r"bundeswehr",
        r"(?:u\.s\.|us|american|british|french|german)\s+(?:army|military|forces|armed\s+forces)",
        r"army",
        r"armed\s+forces",
        r"serbian?",
        r"serbs?",
        r"serbia'?s?",
        r"belgrade",
        r"vojsk\w*",
        r"srbij\w*",
        r"srpsk\w*",
        r"kosovo\s+security\s+force",
        r"ksf",
        r"fsk",
        r"rosu",
        r"police",
        r"policemen",
        r"policij\w*",
        r"polizi\w*",
        r"polic[íi]a",
        r"polizei",
        r"gendarmerie",
        r"carabinieri",
        r"russian?",
        r"russia'?s",
        r"ukrain\w*",
        r"(?-i:UN)",
        r"united\s+nations",
        r"unmik",
        r"unifil",
        r"minusma",
        r"monusco",
        r"unficyp",
        r"eulex",
        r"eufor",
        r"althea",
        r"osce",
        r"enhanced\s+forward\s+presence",
    )
)
# Places other than Kosovo where troops are stationed or sent: a figure placed there is not KFOR's.
ELSEWHERE = LazyPattern(
    r"(?i:\b(?:in|across|throughout|to|into|at|on|for|u|na|in\s+den|nach|en|nel(?:la)?|[îi]n)\s+"
    r"(?:the\s+)?(?:"
    r"europe|european|baltics?|baltic\s+states|estonia|latvia|lithuania|poland|romania|bulgaria|"
    r"hungary|slovakia|germany|italy|spain|the\s+uk|britain|turkey|cyprus|lebanon|iraq|syria|"
    r"afghanistan|mali|africa|asia|the\s+middle\s+east|the\s+pacific|ukraine|bosnia|"
    r"bosnia\s+and\s+herzegovina|korea|japan|kuwait|qatar|jordan|israel|gaza|sinai|"
    r"eastern\s+flank|the\s+east|the\s+region\s+of\s+\w+|tapa|estland|litauen|polen|rum[äa]nien|"
    r"evrop\w*|europ[ae]|estonij\w*|poljsk\w*|libano|l[íi]bano|irak"
    r")\b)"
)
KOSOVO = LazyPattern(r"(?i:\bkosov\w*|\bmetohij\w*|\bpri[sš]tin\w*)")
# "stationed throughout the country": Kosovo, in an article about it.
COUNTRY = LazyPattern(r"(?i:\bkosov\w*|\bmetohij\w*|\bpri[sš]tin\w*|\bthe\s+country\b)")

# Nouns that count soldiers. The second group counts them only beside a word naming the mission
# ("5,000 KFOR members", "30 membri della forza di pace"); the third only after a word that makes
# it a force's size ("a contingent of 4,000 persons").
TROOPS = (
    r"troops|soldiers?|solders|soldier|peace-?keepers?|personnel|servicem[ae]n|servicewomen|"
    r"service\s+(?:members|personnel|men|women)|servicemembers|reinforcements|troopers|"
    r"paratroopers|marines|[\w-]*-soldiers|"
    r"vojnika|vojnici|vojnik|pripadnika|pripadnici|mirovnjaka|mirovnjaci|trupa|trupe|"
    r"soldati|militari|effettivi|truppe|caschi\s+blu|membri\s+del\s+servizio|"
    r"soldados|militares|efectivos|efetivos|tropas|cascos\s+azules|"
    r"solda[țţ]i|pacificatori|"
    r"soldaten|soldatinnen|einsatzkr[äa]fte|truppen|blauhelme|friedenssoldaten|"
    r"soldats|militaires|troupes|usht\w*"
)
MEMBERS = (
    r"members|membri|miembros|membros|membres|angeh[öo]rige|"
    r"men\s+and\s+women|women\s+and\s+men|uomini(?:\s+e\s+donne)?|m[äa]nner\s+und\s+frauen|"
    r"hombres\s+y\s+mujeres|homens\s+e\s+mulheres|hommes\s+et\s+femmes|"
    r"mu[šs]karaca\s+i\s+[žz]ena|forces|forze|fuerzas|for[çc]as|kr[äa]fte|snaga"
)
PERSONS = r"persons|people|persone|personas|pessoas|personen|osoba|ljudi|oameni|personnes"
# Groups a casualty can belong to other than the mission's soldiers: the owner is named after them.
PEOPLE = (
    r"protesters?|protestors?|demonstrators?|civilians?|people|persons?|residents?|citizens?|"
    r"locals|serbs?|albanians?|"
    r"police(?:\s+(?:officers?|m[ae]n|sergeants?|inspectors?|chiefs?|commanders?|agents?))?|"
    r"policem[ae]n|officers?|officials?|"
    r"journalists?|reporters?|attackers?|gunm[ae]n|militants?|assailants?|fighters?|children|"
    r"child|m[ae]n|wom[ae]n|students?|workers?|migrants?|passengers?|drivers?|guards?|"
    r"firefighters?|cops?|"
    r"demonstranata|demonstranti|civila|civili|osoba|ljudi|policajaca|policajci|gra[đd]ana|srba|"
    r"manifestanti|manifestantes|manifestan[țţ]i|civiles|civis|personas|pessoas|poliziotti|"
    r"agenti|polic[íi]as|policiais|demonstranten|zivilisten|menschen|polizisten|oameni|"
    r"poli[țţ]i[șş]ti|manifestants|civils"
)

# Words that say more troops come: before the number ("another 500", "dodatnih 200"), or beside
# its noun ("700 new reinforcements", "efectivos ... adicionales", "zusätzliche Einsatzkräfte").
MORE_BEFORE = LazyPattern(
    r"(?i:\b(?:an?\s+)?(?:additional|extra|further|another|more|fresh|new|reinforcements?\s+of|"
    r"an?\s+(?:fresh|new|further|additional)\s+\w+\s+of|"
    r"dodatn\w*|jo[šs]|poja[čc]anj\w*\s+od|altri|altre|ulteriori|otros|otras|weitere|"
    r"zus[äa]tzliche\w*|outros|outras|[îi]nc[ăa]|suplimentar\w*|rinforz\w*\s+di|"
    r"refuerzos?\s+de|verst[äa]rkung\s+(?:von|um)|d'autres|suppl[ée]mentaires)\s+)$"
)
MORE_BESIDE = LazyPattern(
    r"(?i:\b(?:additional|extra|further|more(?!\s+than)|fresh|new|reinforcements?|dodatn\w*|"
    r"adicionales|adicionais|aggiuntiv\w*|suplimentar\w*|zus[äa]tzliche\w*|weitere|"
    r"suppl[ée]mentaires)\b)"
)
# "reinforcements" anywhere in the clause makes a troop figure in it part of them.
REINFORCEMENTS = LazyPattern(
    r"(?i:\b(?:reinforcements?|rinforzi|refuerzos|refor[çc]os|[îi]nt[ăa]riri|verst[äa]rkung\w*|"
    r"poja[čc]anj\w*|renforts)\b)"
)
# Sending, deploying or arriving: the number is a reinforcement when one of these governs it.
SEND = LazyPattern(
    r"(?i:\b(?:send|sends|sent|sending|deploy|deploys|deployed|deploying|"
    r"dispatch\w*|mobili[sz]\w*|fly|flew|flown|flying|bring|brings|bringing|brought|"
    r"uputi\w*|posla\w*|po[šs]alj\w*|[šs]alj\w*|rasporedi\w*|inviar\w*|inviat\w*|invier\w*|"
    r"schierar\w*|dispiegar\w*|enviar\w*|envi[óo]|desplegar\w*|despleg[óo]|destacar|"
    r"entsend\w*|schick\w*|verleg\w*|trimite\w*|trimis\w*|envoy(?:er|é|ée|és|ées|ons)|"
    r"d[ée]ployer|d[ée]ploie|d[ée]ploy[ée]e?s?)\b)"
)
ARRIVE = LazyPattern(
    r"(?i:\b(?:arriv(?:e|es|ed|ing)|land(?:s|ed|ing)|came|come|coming|would\s+go|will\s+go|"
    r"are\s+going|"
    r"(?:were|was|are|is|will\s+be|would\s+be|have\s+been|has\s+been|being)\s+"
    r"(?:deployed|sent|dispatched|flown|moved|brought)|join\w*|stig\w*|sti[žz]\w*|"
    r"arrivat\w*|arriver\w*|llegar\w*|llegaron|chegar\w*|chegaram|sosi\w*|eingetroffen|"
    r"ankommen|angekommen)\b)"
)
# What reinforcements are for, after the figure: "to bolster NATO's force", "to reinforce KFOR".
TO_REINFORCE = LazyPattern(
    r"(?i:\bto\s+(?:further\s+)?(?:bolster|boost|reinforce|strengthen|augment|support|join|"
    r"beef\s+up)\b)"
)
# A rotation replaces troops rather than adding them, and an exercise counts its participants, not
# the force: neither figure is a reinforcement or the mission's strength.
NOT_STRENGTH = LazyPattern(
    r"(?i:\b(?:rotation\w*|rotat(?:e|es|ed|ing)|relieve\w*|replac(?:e|es|ed|ing)\s+(?:the|their|its)|"
    r"take\s+over|took\s+over|taking\s+over|hand\w*\s+over|exercis\w*|drills?|manoeuvres?|"
    r"maneuvers?|training|take\s+part|took\s+part|taking\s+part|participat\w*|ve[žz]b\w*|"
    r"esercitazion\w*|ejercicio\w*|[üu]bung\w*|exerci[țţ]i\w*)\b)"
)
# Verbs that change a force's size: "by N" is then the change, "to N" the new total.
CHANGE = LazyPattern(
    r"(?i:\b(?:increas\w*|boost\w*|bolster\w*|strengthen\w*|reinforc\w*|expand\w*|enlarg\w*|"
    r"augment\w*|rais(?:e|es|ed|ing)|ramp\w*\s+up|beef\w*\s+up|grow\w*|grew|rose|risen|"
    r"poja[čc]a\w*|pove[ćc]a\w*|rafforz\w*|aument\w*|reforz\w*|refor[çc]\w*|erh[öo]h\w*|"
    r"verst[äa]rk\w*|erweiter\w*|m[ăa]ri\w*|cons\w*lid\w*)\b)"
)
SHRINK = LazyPattern(
    r"(?i:\b(?:cut|cuts|cutting|reduc\w*|decreas\w*|withdr[ae]w\w*|pull\w*\s+out|draw\w*\s+down|"
    r"drawdown|downsiz\w*|shr[aiu]nk\w*|fell|fall\w*|lower\w*|smanji\w*|ridu\w*|reduj\w*|"
    r"verringer\w*|reduz\w*)\b)"
)
# A verb that gives the whole force, right before its number: "KFOR numbers about 4,800".
TOTAL_VERB = LazyPattern(
    r"(?i:\b(?:numbers|numbered|counts|counted|has|have|had|consists\s+of|consisted\s+of|"
    r"comprises|comprised|(?:is|was)\s+made\s+up\s+of|totals|totalled|strength\s+of|size\s+of|"
    r"broji|sastoji\s+(?:se\s+)?od|conta|cuenta\s+con|besteht\s+aus|bestehen\s+aus|compte)\s+"
    r"(?:(?:about|around|some|nearly|almost|roughly|approximately|over|more\s+than|just\s+under|"
    r"oko|skoro|circa|unos|etwa|rund)\s+)?)$"
)
# A force's size named as such: "a combined strength of", "the contingent of", "forza combinata".
SIZE_WORDS = LazyPattern(
    r"(?i:\b(?:strength|size|total|number\s+of|contingent|contingente|contingentul|kontingent\w*|"
    r"for[çc]a\s+combinada|for[țţ]a?\s+combinat[ăa]|forza\s+combinata|fuerza\s+combinada|"
    r"sastoji|broji|bestehen|besteht|umfasst|conta|cuenta|numbers|numbered|counts|comprises|"
    r"consists|made\s+up\s+of|tamanho|mărimea|grandezza)\b)"
)
# A part of a force, not all of it: "including 300", "350 of them", "of which 350 are from Turkey".
PART_BEFORE = LazyPattern(
    r"(?i:\b(?:including|among\s+them|among\s+whom|of\s+whom|of\s+them|of\s+which|of\s+these|"
    r"od\s+kojih|od\s+toga|di\s+cui|de\s+los\s+cuales|dos\s+quais|darunter|davon|dintre\s+care|"
    r"dont)\s+)$"
)
PART_AFTER = LazyPattern(
    r"(?i:\s+(?:of\s+(?:them|whom|which|these|those|the|its|their)|are\s+from|were\s+from|"
    r"come\s+from|od\s+njih|di\s+loro|de\s+ellos)\b)"
)
# A number that is the past, not today: "at its peak", "from a peak of", "originally", "in 1999".
PAST_BEFORE = LazyPattern(
    r"(?i:\b(?:peak\s+of|at\s+(?:its|the)\s+(?:peak|height)[^.;]{0,40}?|initially|originally|"
    r"once|formerly|previously|down\s+from|up\s+from|a\s+high\s+of|maximum\s+of)\s+$)"
)
# "from 55,000 in 1999 to 3,500": the first number is the past, the second today's.
FROM_BEFORE = LazyPattern(r"(?i:\b(?:from|od|da|de|von|din)\s+$)")
# A number that is not a count of people: money, shares, measures, durations and clock times.
NOT_A_COUNT_AFTER = LazyPattern(
    r"(?i:\s*(?:%|percent\b|per\s*cent\b|pct\b|posto\b|por\s+ciento\b|prozent\b|procent\b|"
    r"euros?\b|eur\b|€|dollars?\b|\$|usd\b|chf\b|francs?\b|dinars?\b|evra\b|km\b|kilomet\w*|"
    r"miles?\b|meters?\b|metres?\b|kg\b|tons?\b|tonnes?\b|hours?\b|minutes?\b|seconds?\b|days?\b|"
    r"weeks?\b|months?\b|years?\b|sati\b|dana\b|godin\w*|ore\b|giorni\b|anni\b|horas\b|d[íi]as\b|"
    r"a[ñn]os\b|stunden\b|tage\b|jahre\b|am\b|pm\b|a\.m\.|p\.m\.|h\b|o'clock|o\u2019clock|"
    r"[:.]\d\d\b|th\b|st\b|nd\b|rd\b|-year|-day|-hour|-minute))"
)
NOT_A_COUNT_BEFORE = LazyPattern(
    r"(?i:(?:€|\$|£|eur|chf|usd|\d[:.]|no\.|nr\.|number|resolution|rezolu\w*|"
    r"risoluzione|resoluci[óo]n|resolução|route|road|highway|article|paragraph|item|"
    r"section|page|gate|dog|camp|sols?|flight|line|channel|news)\s*$)"
)

# Casualties. INJURED and KILLED are the words that say what happened; a passive form ("were
# injured") looks back for whom, an active one ("injuring 12", "hanno ferito 30") looks ahead.
INJURED = (
    r"injur(?:ed|ing|ies)|wounded|wounding|hurt|"
    r"(?:suffered|sustained|received)\s+(?:\w+\s+){0,2}?(?:injuries|wounds|burns|hearing\s+loss|"
    r"concussions?|fractures)|"
    r"povrije[đd]\w*|povre[đd]\w*|ranjen\w*|"
    r"ferit[oiae]|ferendo|herid[oa]s?|hirieron|hiri[óo]|hiriendo|ferid[oa]s?|r[ăa]ni[țţ]i|"
    r"r[ăa]nit\w*|verletzt\w*|verwundet\w*|bless[ée]s?"
)
KILLED = (
    r"killed|killing|dead|died|dies|slain|lost\s+their\s+lives|lost\s+his\s+life|"
    r"ubijen\w*|ubi[os]\w*|poginu\w*|stradal\w*|"
    r"uccis[oiae]|mort[oi]|muert[oa]s|murieron|mataron|mortos|ucis\w*|mor[țţ]i|"
    r"get[öo]tet|starben|tu[ée]s?"
)
CASUALTY = LazyPattern(rf"(?i:\b(?:(?P<injured>{INJURED})|(?P<killed>{KILLED}))\b)")
CASUALTY_HINT = (
    "death",
    "injur",
    "wound",
    "hurt",
    "burns",
    "hearing",
    "concussion",
    "fracture",
    "povr",
    "ranj",
    "ferit",
    "ferend",
    "herid",
    "hirie",
    "ferid",
    "r\u0103ni",
    "verletz",
    "verwund",
    "bless",
    "kill",
    "dead",
    "died",
    "dies",
    "slain",
    "lives",
    "life",
    "ubij",
    "ubio",
    "ubis",
    "poginu",
    "strada",
    "uccis",
    "morti",
    "morto",
    "muert",
    "murie",
    "matar",
    "ucis",
    "mor\u021bi",
    "get\u00f6t",
    "starb",
    "tu\u00e9",
)
# Nouns that name a casualty count without a verb: "the deaths of", "a death toll of".
CASUALTY_NOUN = LazyPattern(
    r"(?i:\b(?:deaths?\s+of|death\s+toll\s+(?:of|at|to|rose\s+to|stands\s+at)|"
    r"claimed\s+the\s+lives\s+of|injuries\s+to|took\s+the\s+lives\s+of)\b)"
)
# Before a passive casualty verb, these say it is passive (the victims come before it).
PASSIVE_BEFORE = LazyPattern(
    r"(?i:\b(?:were|was|have\s+been|has\s+been|had\s+been|are|is|got|get|being|been|reported|"
    r"left|je|su|bio|bila|bili|sono|è|stati|state|rimast[io]|resultaron|fueron|foram|"
    r"au\s+fost|a\s+fost|wurden|wurde|sind|ont\s+été|a\s+été|sont)\s+"
    r"(?:(?:also|reportedly|slightly|seriously|badly|lightly|critically|fatally|severely|"
    r"gravely|all|both|allegedly|later|then|tom\s+prilikom|gravemente|leggermente|"
    r"schwer|leicht)\s+){0,2}$)"
)
# A passive verb's agent ("wounded by the multinational contingent") names who did it, not who
# was hurt.
BY_AGENT = LazyPattern(r"(?i:\s+(?:by|from|od\s+strane|da|por|von|de\s+c[ăa]tre|par)\s+)")
# War dead are history, not news.
WAR = LazyPattern(r"(?i:\bwar\b(?!\s+zone)|\bwartime\b|\brat[au]?\b|\bguerr[ae]\b|\bkrieg\w*)")

# Joining words between two counted groups: "50 protesters and 30 soldiers".
AND = r"(?:,?\s+(?:and|as\s+well\s+as|along\s+with|plus|i|e|y|und|și|şi|et|kao\s+i|così\s+come|así\s+como|bem\s+como)\s+(?:a\s+|al\s+)?|\s*&\s*)"
LIST_COMMA = r"\s*,\s*"

# Qualifiers written before a number.
AROUND = (
    r"about|around|approximately|approx\.|roughly|some|an\s+estimated|estimated|circa|ca\.|"
    r"oko|otprilike|pribli[žz]no|intorno\s+a|all'incirca|alrededor\s+de|unos|unas|"
    r"aproximadamente|cerca\s+de|aproximativ|etwa|rund|ungef[äa]hr|environ|quelque"
)
ALMOST = (
    r"almost|nearly|just\s+under|close\s+to|just\s+shy\s+of|less\s+than|fewer\s+than|under|"
    r"up\s+to|no\s+more\s+than|skoro|gotovo|blizu|do|quasi|casi|quase|aproape|knapp|fast|"
    r"bis\s+zu|presque|pr[èe]s\s+de|jusqu'[àa]"
)
MORE = (
    r"more\s+than|well\s+over|just\s+over|over|at\s+least|upwards\s+of|in\s+excess\s+of|above|"
    r"no\s+fewer\s+than|no\s+less\s+than|vi[šs]e\s+od|preko|najmanje|oltre|più\s+di|almeno|"
    r"m[áa]s\s+de|al\s+menos|mais\s+de|pelo\s+menos|peste|mai\s+mult\s+de|cel\s+pu[țţ]in|"
    r"mehr\s+als|über|mindestens|plus\s+de|au\s+moins"
)
QUALIFIER = LazyPattern(
    rf"(?i:\b(?:(?P<around>{AROUND})|(?P<almost>{ALMOST})|(?P<more>{MORE})))\s+(?:de\s+)?$"
)

# Deadlines: the words that make "by"/"until" a date to comply by.
OBLIGATION = LazyPattern(
    r"(?i:\b(?:deadline|ultimatum|must|requir\w*|obliged|obligat\w*|expir\w*|grace\s+period|"
    r"(?:have|has|had|need|needs)\s+to|re-?register(?:ed|s)?|register(?:ed|s)?|"
    r"re-?registering|registering|switch\w*|replac\w*|swap\w*|chang(?:e|es|ed|ing)\s+(?:their|"
    r"the|its|his|her|old|to)|convert\w*|remov\w*|abolish\w*|phas(?:e|ed|ing)\s+out|"
    r"confiscat\w*|seiz\w*|banned|ban|prohibit\w*|fine[ds]?)\b)"
)
# "as of"/"after"/"from" a date is a deadline only when cars are then banned or confiscated.
BANNED = LazyPattern(
    r"(?i:\b(?:confiscat\w*|seiz\w*|banned|ban|barred|prohibit\w*|forbidden|not\s+be\s+allowed|"
    r"no\s+longer\s+(?:be\s+)?(?:allowed|permitted|valid)|impound\w*|oduz\w*|zabran\w*)\b)"
)
