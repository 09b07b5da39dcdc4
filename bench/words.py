"""Core English vocabulary for bench/gen_corpus.py, written for this project.

Lists are in rough news-frequency order within each class. gen_corpus.py
inflects NOUNS (plural), VERBS (-s, -ed, -ing; IRREGULAR gives past forms)
and ADJECTIVES (-ly adverbs for some), then ranks everything into one Zipf
vocabulary of a little over 2,000 word types.
"""

# Function words and the most frequent news words, most frequent first.
FUNCTION = """
the of to and a in that is for on said it was with he as by at from his be
have are an has but not this they were had who will its their been which would
more one about after also up her or she there than we over new two other when
into out could last first can all some year our time no only people if I do so
most what them him government just like before may against because while even
these any those where then now did such since many should might under through
during how between both three what's police president minister country state
world week told us you my me your very well there's it's don't didn't can't
won't isn't wasn't aren't doesn't haven't hasn't wouldn't couldn't shouldn't
I'm we're they're he's she's that's let's back four five six seven eight nine
ten hundred thousand million billion percent per cent much still own down off
another each same few several every around without within until including
among across along behind toward towards upon whether though although however
yet already never always often again ago here why whose whom either neither nor
once twice rather quite almost enough less least further far near since via
amid despite according per mr mrs ms dr st jr inc ltd co oh yes okay
whatever whoever whichever wherever whenever everyone everything everybody
someone something somebody anyone anything anybody nobody nothing none
himself herself itself themselves ourselves myself yourself
""".split()

NOUNS = """
official report group company country city party leader home day family part
court law war attack force member month child life place case week point
system number election campaign policy issue power money business market
service school health care public house plan problem question job end area
state side water team security support level office body fact information
history death result change morning night community program industry economy
decision action evidence statement interview price cost rate study research
vote voter region border troop army soldier weapon missile drone strike bomb
ceasefire peace deal agreement talk meeting summit conference crisis threat
risk danger victim survivor hospital doctor patient nurse teacher student
worker employee employer union protest protester rally crowd street road car
train plane airport ship port fuel oil gas energy power plant climate weather
storm flood fire earthquake disaster emergency response aid relief shelter
food crop farmer land village town capital province district county
neighborhood resident citizen migrant refugee camp centre center building
hall concert stadium church mosque temple museum library university college
court judge jury trial lawyer prosecutor defendant suspect charge crime murder
killing shooting gunman terrorist terrorism extremist militant rebel insurgent
regime dictator opposition coalition parliament congress senate assembly
committee council commission agency ministry department administration
cabinet spokesperson spokesman spokeswoman secretary ambassador diplomat
embassy envoy sanction tariff trade export import tax budget deficit debt
loan bank investor investment share stock bond fund profit loss revenue
sales growth inflation recession unemployment wage salary income pension
benefit welfare household consumer customer product technology software
internet network platform website app phone computer data privacy account
user device chip car battery vehicle factory supply chain shortage demand
contract project effort attempt goal target step measure rule regulation
reform bill act order decree ban limit control pressure tension conflict
dispute row clash fight battle offensive operation mission exercise
intelligence surveillance investigation inquiry probe review audit
scandal corruption fraud bribe allegation accusation claim denial narrative
propaganda message speech address comment remark view opinion position
stance approach strategy way means reason cause effect impact consequence
role responsibility blame credit praise criticism concern fear hope anger
outrage shock surprise doubt confidence trust belief idea value freedom
right rights justice democracy election ballot poll survey percent majority
minority population generation youth woman man women men girl boy mother
father son daughter wife husband brother sister friend neighbor colleague
partner ally enemy rival critic supporter fan expert analyst observer
scientist researcher economist historian journalist reporter editor media
newspaper press television radio channel video image photo picture footage
document letter email message post tweet account source detail version
story article book film music art sport game match player coach season
league championship cup final title record win victory defeat
hour minute second moment period decade century age future past present
beginning start end half quarter term session round stage phase
line list table figure map chart series set range kind type sort form
""".split()

VERBS = """
say make go take see come know get give find think tell become show leave
feel put bring begin keep hold write stand hear let mean set meet run pay sit
speak lie lead read grow lose fall send build understand draw break spend cut
rise drive buy wear choose seek throw catch deal win fight teach sell
ask use work call try need seem help talk turn start move live believe happen
include continue change play provide allow expect create appear add offer
remain suggest raise pass require report decide pull return explain hope
develop carry agree support receive accept describe claim insist deny admit
warn argue announce confirm reveal suggest accuse blame condemn criticize
praise demand urge threaten promise vow pledge reject refuse dismiss
question doubt allege boast assure stress note observe state declare
respond reply answer comment acknowledge concede estimate predict forecast
attack kill injure wound arrest detain release charge sentence convict
investigate probe examine review discuss negotiate sign approve pass vote
elect appoint resign fire hire join launch open close increase reduce
cut boost improve protect defend prevent stop block ban control manage
lead follow fail succeed struggle face risk cause affect force push
target strike bomb shoot destroy damage invade occupy withdraw retreat
escape flee evacuate rescue save help aid fund invest spend borrow lend
owe trade export import produce manufacture sell deliver ship transport
travel visit arrive depart return stay remain wait watch look listen
plan prepare organize host attend gather protest march rally demonstrate
call name label brand describe portray present frame spin mislead
lie cheat steal hide reveal leak publish post share report cover
""".split()

# Verbs whose -ed form is irregular: base -> past (used for both -ed slots).
IRREGULAR = {
    "say": "said", "make": "made", "go": "went", "take": "took", "see": "saw",
    "come": "came", "know": "knew", "get": "got", "give": "gave",
    "find": "found", "think": "thought", "tell": "told", "become": "became",
    "show": "showed", "leave": "left", "feel": "felt", "put": "put",
    "bring": "brought", "begin": "began", "keep": "kept", "hold": "held",
    "write": "wrote", "stand": "stood", "hear": "heard", "let": "let",
    "mean": "meant", "set": "set", "meet": "met", "run": "ran", "pay": "paid",
    "sit": "sat", "speak": "spoke", "lie": "lied", "lead": "led",
    "read": "read", "grow": "grew", "lose": "lost", "fall": "fell",
    "send": "sent", "build": "built", "understand": "understood",
    "draw": "drew", "break": "broke", "spend": "spent", "cut": "cut",
    "rise": "rose", "drive": "drove", "buy": "bought", "wear": "wore",
    "choose": "chose", "seek": "sought", "throw": "threw", "catch": "caught",
    "deal": "dealt", "win": "won", "fight": "fought", "teach": "taught",
    "sell": "sold", "flee": "fled", "lend": "lent", "shoot": "shot",
    "strike": "struck", "steal": "stole", "hide": "hid",
}
# Extra participles that differ from the past tense.
PARTICIPLES = {
    "go": "gone", "take": "taken", "see": "seen", "know": "known",
    "give": "given", "write": "written", "speak": "spoken", "grow": "grown",
    "fall": "fallen", "break": "broken", "drive": "driven", "choose": "chosen",
    "throw": "thrown", "steal": "stolen", "hide": "hidden", "begin": "begun",
    "draw": "drawn", "rise": "risen", "wear": "worn", "become": "become",
    "come": "come", "run": "run",
}
# Verbs that double their final consonant (stop -> stopped, stopping).
DOUBLING = set("""
stop plan ban admit commit control drop ship shop step submit cut run put
sit let set win begin hit get shut swim rob grab jam tap trap wrap
""".split())

ADJECTIVES = """
new other good great high old big small large long little young important
political public local national international foreign military economic
social federal former senior top major main key early late recent next
final full free real true false clear strong weak hard easy difficult
possible likely able available ready sure certain serious severe critical
dangerous safe secure open closed private official independent legal
illegal human civil criminal violent peaceful deadly fatal brutal cruel
terrible horrible shocking outrageous ridiculous absurd extreme radical
moderate conservative liberal progressive left right far democratic
authoritarian corrupt honest fair unfair wrong bad worse worst better best
poor rich wealthy cheap expensive low higher lower rising falling growing
western eastern northern southern central global regional domestic urban
rural nuclear chemical digital financial commercial industrial medical
environmental cultural religious ethnic racial historic historical
traditional modern current previous similar different various special
specific general common popular famous controversial significant massive
huge enormous tiny slight minor entire whole single double simple complex
quick slow fast rapid sudden gradual direct indirect formal informal
angry furious upset worried afraid anxious calm happy sad proud
alleged so-called self-proclaimed notorious infamous disgraced embattled
beleaguered besieged hardline fierce bitter heated tense
""".split()

ADVERBS = """
also now just only even still already never always often again well back
really very too almost later soon recently currently quickly slowly
clearly strongly firmly sharply widely largely mainly mostly nearly
reportedly allegedly apparently reportedly officially publicly privately
openly directly immediately finally eventually previously initially
frantically desperately grudgingly reluctantly repeatedly falsely wrongly
""".split()

# Proper nouns and acronyms that keep their capitals.
PROPER = """
US UN EU NATO UK FBI CIA BBC AFP Reuters ISIS Moscow Kyiv Kiev Washington
London Paris Berlin Beijing Brussels Tokyo Delhi Tehran Jerusalem Gaza
Russia Ukraine China America Britain France Germany Israel Iran India Japan
Turkey Syria Iraq Poland Europe Africa Asia Kremlin Pentagon Congress Senate
Parliament Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
February March April May June July August September October November
December Biden Trump Putin Zelensky Xi Macron Scholz Sunak Netanyahu Modi
Erdogan Kirby Miller Lavrov Peskov Blinken Sullivan Smith Johnson Brown
Garcia Martinez Lee Wang Kim Nguyen Patel Khan Ivanov Petrova
""".split()

# Speakers and attribution verbs for quotations (gen_corpus builds
# ', the minister said.' and 'Police said: "...' from these).
SPEAKERS = """
the minister|the president|the spokesperson|a spokesman for the ministry|the
official|a senior official|officials|police|the company|the prime minister|the
governor|the mayor|the ambassador|the analyst|one resident|a witness|the
statement|the report|the lawyer|the prosecutor|the general|the senator|the
chairman|the chief executive|a government source|the agency|the White House|the
Kremlin|John Kirby|Maria Zakharova|Dmitry Peskov|Antony Blinken|Anna Petrova|
Peter Miller|James Smith|Laura Garcia|David Lee|Sarah Khan|Ivan Ivanov|
Olena Kovalenko|Michael Brown|Emily Johnson|Ahmed Hassan|Li Wei
""".replace("\n", " ").split("|")

ATTRIBUTION_VERBS = """
said|said|said|said|told reporters|added|said in a statement|claimed|insisted|
noted|warned|argued|admitted|explained|stated|wrote|told the BBC|said on
Thursday|said on Monday|posted|declared|stressed|acknowledged|alleged|
conceded|boasted|complained|suggested
""".replace("\n", " ").split("|")
