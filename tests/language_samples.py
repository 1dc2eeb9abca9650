"""News-like paragraphs in each language detection knows, written for these tests.

Each shorter than the 400 characters detection reads: six for each of the ten languages the issue names, two for the
others. The paragraphs at one index tell the same story in every language (a council vote, a storm, heating oil
prices, then sport or a museum, a motorway accident, a crowded square), in that language's own news idiom, so that a
test can put the same news in two languages side by side.
"""

from __future__ import annotations

SAMPLES: dict[str, tuple[str, ...]] = {
    "de": (
        "Der Stadtrat hat am Dienstagabend den Haushalt für das kommende Jahr beschlossen. Nach einer langen Debatte "
        "stimmten 32 Mitglieder für den Entwurf, neun dagegen. Die Opposition kritisierte vor allem die geplanten "
        "Kürzungen bei den Schwimmbädern und forderte, das Geld stattdessen aus den Rücklagen zu nehmen.",
        "Wegen eines Sturms sind am Montag zahlreiche Züge in Norddeutschland ausgefallen. Die Bahn riet Reisenden, "
        "ihre Fahrt zu verschieben, und kündigte an, dass die Strecke zwischen Hamburg und Bremen voraussichtlich bis "
        "zum Abend gesperrt bleibt.",
        "Die Preise für Heizöl sind im vergangenen Monat deutlich gesunken. Nach Angaben des Statistischen "
        "Bundesamtes lag der Rückgang bei fast acht Prozent, was vor allem an der milden Witterung und an vollen "
        "Lagern liege.",
        "Mit einem späten Tor hat der Aufsteiger sein erstes Heimspiel gewonnen. Trainerin Petra Lange lobte nach dem "
        "Abpfiff die Geduld ihrer Mannschaft: Man habe lange kein Mittel gegen die dichte Abwehr gefunden, sei aber "
        "ruhig geblieben.",
        "Die Polizei sucht nach einem Unfall auf der A7 weiter nach Zeugen. Ein Lastwagen war am frühen Morgen auf "
        "ein Stauende aufgefahren, zwei Menschen wurden schwer verletzt. Die Autobahn blieb in Richtung Norden für "
        "mehrere Stunden gesperrt.",
        "„Wir haben nicht damit gerechnet, dass so viele Menschen kommen“, sagte die Veranstalterin. Mehr als 5000 "
        "Besucher drängten sich am Wochenende auf dem Marktplatz, wo Bands aus der Region bis in die Nacht spielten.",
    ),
    "en": (
        "The city council approved next year's budget on Tuesday evening after a debate that lasted more than five "
        "hours. Thirty-two members voted in favour and nine against. The opposition criticised planned cuts to public "
        "swimming pools and said the money should come from reserves instead.",
        "Hundreds of trains were cancelled across northern England on Monday as a storm brought winds of up to 80 "
        "miles an hour. The rail operator advised passengers to postpone their journeys and said the line between "
        "Leeds and York would probably remain closed until the evening.",
        "Heating oil prices fell sharply last month, according to figures published by the statistics office. The "
        "drop of almost eight per cent was mainly due to mild weather and full storage tanks, analysts said.",
        "A late goal gave the newly promoted side its first home win of the season. Speaking after the match, coach "
        "Petra Lange praised her players for staying patient against a packed defence that had frustrated them for "
        "most of the afternoon.",
        "Police are appealing for witnesses after a lorry crashed into stationary traffic on the M6 early on "
        "Wednesday. Two people were seriously injured and the northbound carriageway was closed for several hours "
        "while investigators examined the scene.",
        "“We never expected so many people to turn up,” the organiser said. More than 5,000 visitors crowded into the "
        "market square over the weekend, where local bands played late into the night.",
    ),
    "fr": (
        "Le conseil municipal a adopté mardi soir le budget de l'année prochaine, après un débat de plus de cinq "
        "heures. Trente-deux élus ont voté pour et neuf contre. L'opposition a critiqué les coupes prévues dans les "
        "piscines publiques et a demandé que l'argent soit pris sur les réserves.",
        "Des centaines de trains ont été supprimés lundi dans le nord du pays en raison d'une tempête. La compagnie "
        "ferroviaire a conseillé aux voyageurs de reporter leur déplacement et a indiqué que la ligne entre Lille et "
        "Amiens resterait sans doute fermée jusqu'au soir.",
        "Les prix du fioul domestique ont nettement baissé le mois dernier, selon les chiffres publiés par l'institut "
        "de la statistique. Cette baisse de près de huit pour cent s'explique surtout par la douceur du temps et par "
        "des stocks bien remplis.",
        "Le musée des Beaux-Arts rouvre ses portes samedi après deux ans de travaux. Les visiteurs pourront découvrir "
        "une salle entièrement consacrée aux peintres de la région, ainsi qu'un jardin où seront présentées des "
        "sculptures contemporaines.",
        "La police lance un appel à témoins après un accident survenu mercredi matin sur l'autoroute A7. Un poids "
        "lourd a percuté une file de voitures à l'arrêt ; deux personnes ont été grièvement blessées et la "
        "circulation a été interrompue pendant plusieurs heures.",
        "« Nous ne pensions pas qu'il y aurait autant de monde », a reconnu l'organisatrice. Plus de 5 000 personnes "
        "se sont pressées ce week-end sur la place du marché, où des groupes locaux ont joué jusque tard dans la "
        "nuit.",
    ),
    "es": (
        "El ayuntamiento aprobó el martes por la noche el presupuesto del próximo año tras un debate de más de cinco "
        "horas. Treinta y dos concejales votaron a favor y nueve en contra. La oposición criticó los recortes "
        "previstos en las piscinas públicas y pidió que el dinero saliera de las reservas.",
        "Cientos de trenes fueron cancelados el lunes en el norte del país a causa de un temporal. La compañía "
        "ferroviaria recomendó a los viajeros aplazar sus desplazamientos y señaló que la línea entre Bilbao y "
        "Santander permanecerá probablemente cerrada hasta la noche.",
        "Los precios del gasóleo de calefacción bajaron con fuerza el mes pasado, según los datos publicados por el "
        "instituto de estadística. La caída, de casi un ocho por ciento, se debe sobre todo al clima suave y a que "
        "los depósitos están llenos.",
        "El equipo recién ascendido logró su primera victoria en casa gracias a un gol en el último minuto. La "
        "entrenadora elogió la paciencia de sus jugadoras, que durante casi todo el partido no encontraron la manera "
        "de superar una defensa muy cerrada.",
        "La policía busca testigos de un accidente ocurrido el miércoles por la mañana en la autovía A-7. Un camión "
        "chocó contra una fila de coches detenidos; dos personas resultaron heridas de gravedad y el tráfico estuvo "
        "cortado durante varias horas.",
        "«No esperábamos que viniera tanta gente», reconoció la organizadora. Más de 5.000 personas llenaron el fin "
        "de semana la plaza del mercado, donde varios grupos locales tocaron hasta bien entrada la noche.",
    ),
    "it": (
        "Il consiglio comunale ha approvato martedì sera il bilancio del prossimo anno dopo un dibattito durato più "
        "di cinque ore. Trentadue consiglieri hanno votato a favore e nove contro. L'opposizione ha criticato i tagli "
        "previsti alle piscine pubbliche e ha chiesto di usare invece le riserve.",
        "Centinaia di treni sono stati cancellati lunedì nel nord del Paese a causa di una tempesta. La società "
        "ferroviaria ha consigliato ai viaggiatori di rinviare il viaggio e ha detto che la linea tra Verona e Trento "
        "resterà probabilmente chiusa fino a sera.",
        "I prezzi del gasolio per il riscaldamento sono scesi nettamente il mese scorso, secondo i dati pubblicati "
        "dall'istituto di statistica. Il calo di quasi l'otto per cento è dovuto soprattutto al clima mite e ai "
        "depositi pieni.",
        "Dopo due anni di lavori riapre sabato il museo civico, che ospiterà una sala dedicata ai pittori della "
        "regione. Secondo la direttrice, l'obiettivo è avvicinare all'arte anche chi non ha mai visitato una mostra.",
        "La polizia cerca testimoni dopo l'incidente avvenuto mercoledì mattina sull'autostrada A1. Un camion ha "
        "tamponato una fila di auto ferme in coda; due persone sono rimaste gravemente ferite e il traffico è stato "
        "bloccato per diverse ore.",
        "«Non ci aspettavamo così tanta gente», ha ammesso l'organizzatrice. Più di cinquemila persone hanno "
        "affollato nel fine settimana la piazza del mercato, dove alcune band locali hanno suonato fino a notte "
        "fonda.",
    ),
    "nl": (
        "De gemeenteraad heeft dinsdagavond de begroting voor volgend jaar goedgekeurd, na een debat van meer dan "
        "vijf uur. Tweeëndertig raadsleden stemden voor en negen tegen. De oppositie had kritiek op de geplande "
        "bezuinigingen op de openbare zwembaden en wilde het geld liever uit de reserves halen.",
        "Honderden treinen zijn maandag in het noorden van het land uitgevallen door een storm. De spoorwegen raadden "
        "reizigers aan hun reis uit te stellen en lieten weten dat het traject tussen Groningen en Zwolle "
        "waarschijnlijk tot de avond dicht blijft.",
        "De prijs van huisbrandolie is vorige maand flink gedaald, blijkt uit cijfers van het statistiekbureau. De "
        "daling van bijna acht procent komt vooral door het zachte weer en door volle opslagtanks.",
        "Met een doelpunt in de laatste minuut heeft de promovendus zijn eerste thuiswedstrijd gewonnen. De trainer "
        "prees na afloop het geduld van zijn ploeg, die lang geen antwoord had op de compacte verdediging van de "
        "tegenstander.",
        "De politie zoekt getuigen van een ongeluk dat woensdagochtend op de A2 gebeurde. Een vrachtwagen reed in op "
        "een rij stilstaande auto's; twee mensen raakten zwaargewond en de snelweg was urenlang afgesloten.",
        "'We hadden nooit verwacht dat er zoveel mensen zouden komen', zei de organisator. Meer dan vijfduizend "
        "bezoekers kwamen het afgelopen weekend naar de markt, waar lokale bands tot diep in de nacht speelden.",
    ),
    "pt": (
        "A câmara municipal aprovou na terça-feira à noite o orçamento do próximo ano, depois de um debate de mais de "
        "cinco horas. Trinta e dois vereadores votaram a favor e nove contra. A oposição criticou os cortes previstos "
        "nas piscinas públicas e pediu que o dinheiro saísse das reservas.",
        "Centenas de comboios foram cancelados na segunda-feira no norte do país devido a uma tempestade. A empresa "
        "ferroviária aconselhou os passageiros a adiar as viagens e disse que a linha entre o Porto e Braga deverá "
        "continuar fechada até à noite.",
        "Os preços do gasóleo de aquecimento caíram bastante no mês passado, segundo os dados divulgados pelo "
        "instituto de estatística. A descida, de quase oito por cento, deve-se sobretudo ao tempo ameno e aos "
        "depósitos cheios.",
        "O time recém-promovido conquistou sua primeira vitória em casa com um gol nos acréscimos. O técnico elogiou "
        "a paciência dos jogadores, que passaram quase toda a partida sem conseguir furar a defesa do adversário.",
        "A polícia procura testemunhas de um acidente ocorrido na quarta-feira de manhã na autoestrada A1. Um camião "
        "embateu numa fila de carros parados; duas pessoas ficaram gravemente feridas e o trânsito esteve cortado "
        "durante várias horas.",
        "“Não esperávamos que viesse tanta gente”, admitiu a organizadora. Mais de cinco mil pessoas encheram no fim "
        "de semana a praça do mercado, onde bandas locais tocaram até altas horas da noite.",
    ),
    "pl": (
        "Rada miejska przyjęła we wtorek wieczorem budżet na przyszły rok po debacie, która trwała ponad pięć godzin. "
        "Za głosowało 32 radnych, a dziewięciu było przeciw. Opozycja skrytykowała planowane cięcia w wydatkach na "
        "baseny i zaproponowała, aby pieniądze wziąć z rezerwy.",
        "W poniedziałek z powodu burzy odwołano setki pociągów na północy kraju. Przewoźnik poradził podróżnym, żeby "
        "przełożyli wyjazd, i poinformował, że linia między Gdańskiem a Olsztynem będzie prawdopodobnie zamknięta do "
        "wieczora.",
        "Ceny oleju opałowego wyraźnie spadły w ubiegłym miesiącu, jak wynika z danych urzędu statystycznego. Spadek "
        "o prawie osiem procent jest przede wszystkim skutkiem łagodnej pogody i pełnych magazynów.",
        "Po dwóch latach remontu muzeum miejskie zostanie w sobotę ponownie otwarte. Zwiedzający zobaczą nową salę "
        "poświęconą malarzom z regionu, a także ogród, w którym będą pokazywane rzeźby współczesnych artystów.",
        "Policja szuka świadków wypadku, do którego doszło w środę rano na autostradzie A4. Ciężarówka wjechała w "
        "stojące w korku samochody. Dwie osoby zostały ciężko ranne, a trasa w kierunku Wrocławia była zablokowana "
        "przez kilka godzin.",
        "„Nie spodziewaliśmy się, że przyjdzie tylu ludzi” – przyznała organizatorka. W weekend na rynek przyszło "
        "ponad pięć tysięcy osób, a lokalne zespoły grały tam do późnej nocy.",
    ),
    "sv": (
        "Kommunfullmäktige godkände på tisdagskvällen budgeten för nästa år efter en debatt som varade i mer än fem "
        "timmar. Trettiotvå ledamöter röstade för och nio emot. Oppositionen kritiserade de planerade "
        "nedskärningarna av de kommunala badhusen och ville i stället ta pengarna från reserverna.",
        "Hundratals tåg ställdes in i norra Sverige på måndagen på grund av en storm. Järnvägsbolaget uppmanade "
        "resenärerna att skjuta upp sina resor och meddelade att sträckan mellan Umeå och Luleå troligen är stängd "
        "till kvällen.",
        "Priset på eldningsolja sjönk kraftigt förra månaden, enligt siffror från statistikmyndigheten. Nedgången på "
        "nästan åtta procent beror främst på det milda vädret och på att lagren är fulla.",
        "Efter två års renovering öppnar stadsmuseet igen på lördag. Besökarna kan då se en ny sal som ägnas åt "
        "konstnärer från regionen, och i trädgården visas skulpturer av flera unga konstnärer.",
        "Polisen söker vittnen efter en olycka på E4:an tidigt på onsdagsmorgonen. En lastbil körde in i en kö av "
        "stillastående bilar. Två personer skadades allvarligt och vägen var avstängd i flera timmar.",
        "”Vi hade aldrig trott att så många skulle komma”, säger arrangören. Mer än 5 000 besökare trängdes under "
        "helgen på torget, där lokala band spelade till långt in på natten.",
    ),
    "da": (
        "Byrådet vedtog tirsdag aften budgettet for næste år efter en debat, der varede mere end fem timer. 32 "
        "medlemmer stemte for og ni imod. Oppositionen kritiserede de planlagte besparelser på de kommunale "
        "svømmehaller og ville hellere tage pengene fra reserverne.",
        "Hundredvis af tog blev aflyst i det nordlige Jylland mandag på grund af en storm. DSB opfordrede de rejsende "
        "til at udskyde deres rejse og oplyste, at strækningen mellem Aalborg og Hjørring formentlig vil være lukket "
        "indtil i aften.",
        "Prisen på fyringsolie faldt markant i sidste måned, viser tal fra Danmarks Statistik. Faldet på næsten otte "
        "procent skyldes især det milde vejr, og at lagrene er fyldte, siger økonomer.",
        "Efter to års renovering åbner byens museum igen på lørdag. De besøgende kan se en ny sal, som er helliget "
        "kunstnere fra egnen, og i haven bliver der vist skulpturer af unge kunstnere.",
        "Politiet efterlyser vidner til en ulykke på E45 onsdag morgen. En lastbil kørte ind i en kø af holdende "
        "biler, og to personer kom alvorligt til skade. Motorvejen var spærret i nordgående retning i flere timer.",
        "”Vi havde aldrig regnet med, at der ville komme så mange mennesker”, siger arrangøren. Mere end 5.000 gæster "
        "var i weekenden mødt op på torvet, hvor lokale bands spillede til langt ud på natten.",
    ),
    "nb": (
        "Bystyret vedtok tirsdag kveld budsjettet for neste år etter en debatt som varte i mer enn fem timer. 32 "
        "representanter stemte for og ni mot. Opposisjonen kritiserte de planlagte kuttene i de kommunale "
        "svømmehallene og ville heller ta pengene fra reservene.",
        "Hundrevis av tog ble innstilt i Nord-Norge mandag på grunn av uværet. Jernbaneselskapet ba de reisende om å "
        "utsette reisen og opplyste at strekningen mellom Bodø og Fauske trolig vil være stengt til i kveld.",
    ),
    "fi": (
        "Kaupunginvaltuusto hyväksyi tiistai-iltana ensi vuoden talousarvion, kun asiasta oli keskusteltu yli viisi "
        "tuntia. Esityksen puolesta äänesti 32 valtuutettua ja sitä vastaan yhdeksän. Oppositio arvosteli "
        "uimahalleihin suunniteltuja leikkauksia ja vaati, että rahat otetaan mieluummin varauksista.",
        "Satoja junavuoroja peruttiin maanantaina Pohjois-Suomessa myrskyn takia. VR kehotti matkustajia siirtämään "
        "matkojaan ja kertoi, että Oulun ja Kemin välinen rata on todennäköisesti suljettuna iltaan asti, mutta "
        "linja-autot kulkevat normaalisti.",
    ),
    "cs": (
        "Zastupitelstvo města v úterý večer schválilo rozpočet na příští rok. Debata trvala více než pět hodin. Pro "
        "návrh hlasovalo 32 zastupitelů, devět bylo proti. Opozice kritizovala plánované škrty u městských bazénů a "
        "navrhovala, aby se peníze vzaly z rezerv.",
        "Kvůli bouři bylo v pondělí na severu země zrušeno několik stovek vlaků. Dopravce doporučil cestujícím, aby "
        "cestu odložili, a uvedl, že trať mezi Libercem a Děčínem bude podle všeho uzavřena až do večera.",
    ),
    "sk": (
        "Mestské zastupiteľstvo v utorok večer schválilo rozpočet na budúci rok. Diskusia trvala viac ako päť hodín. "
        "Za návrh hlasovalo 32 poslancov, deviati boli proti. Opozícia kritizovala plánované škrty pri mestských "
        "kúpaliskách a navrhla, aby sa peniaze vzali z rezervy.",
        "Pre búrku bolo v pondelok na severe krajiny zrušených niekoľko stoviek vlakov. Dopravca odporučil "
        "cestujúcim, aby cestu odložili, a uviedol, že trať medzi Žilinou a Košicami bude podľa všetkého uzavretá "
        "až do večera.",
    ),
    "hu": (
        "A városi közgyűlés kedd este elfogadta a jövő évi költségvetést, miután a vita több mint öt órán át tartott. "
        "A javaslatra 32 képviselő szavazott igennel, kilencen nemmel. Az ellenzék bírálta az uszodákat érintő "
        "tervezett megszorításokat, és azt javasolta, hogy a pénzt inkább a tartalékokból vegyék el.",
        "Hétfőn a vihar miatt több száz vonatot töröltek az ország északi részén. A vasúttársaság azt kérte az "
        "utasoktól, hogy halasszák el az utazást, és közölte, hogy a vonal Miskolc és Kassa között valószínűleg estig "
        "zárva marad.",
    ),
    "ro": (
        "Consiliul local a aprobat marți seara bugetul pentru anul viitor, după o dezbatere care a durat mai mult de "
        "cinci ore. Treizeci și doi de consilieri au votat pentru, iar nouă împotrivă. Opoziția a criticat reducerile "
        "planificate la bazinele publice și a cerut ca banii să fie luați din rezerve.",
        "Sute de trenuri au fost anulate luni în nordul țării din cauza unei furtuni. Compania feroviară le-a "
        "recomandat călătorilor să își amâne drumul și a anunțat că linia dintre Suceava și Vatra Dornei va rămâne "
        "probabil închisă până seara.",
    ),
    "tr": (
        "Belediye meclisi salı akşamı beş saatten uzun süren bir tartışmanın ardından gelecek yılın bütçesini kabul "
        "etti. Teklif 32 üyenin oyuyla kabul edilirken dokuz üye karşı oy kullandı. Muhalefet, yüzme havuzları için "
        "planlanan kesintileri eleştirdi ve paranın bunun yerine yedeklerden karşılanmasını istedi.",
        "Pazartesi günü ülkenin kuzeyinde fırtına nedeniyle yüzlerce tren seferi iptal edildi. Demiryolu şirketi "
        "yolculara seyahatlerini ertelemelerini tavsiye etti ve hattın akşama kadar kapalı kalmasının beklendiğini "
        "açıkladı. Bu kararın ardından birçok yolcu otobüse yöneldi.",
    ),
    "ca": (
        "El ple de l'ajuntament va aprovar dimarts al vespre el pressupost de l'any vinent, després d'un debat de més "
        "de cinc hores. Trenta-dos regidors hi van votar a favor i nou en contra. L'oposició va criticar les "
        "retallades previstes a les piscines municipals i va demanar que els diners sortissin de les reserves.",
        "Centenars de trens es van cancel·lar dilluns al nord del país a causa d'un temporal. La companyia "
        "ferroviària va recomanar als viatgers que ajornessin el desplaçament i va dir que la línia entre Vic i "
        "Ripoll probablement estarà tallada fins al vespre.",
    ),
    "ru": (
        "Городской совет во вторник вечером утвердил бюджет на следующий год после дебатов, которые продолжались "
        "более пяти часов. За проект проголосовали 32 депутата, против — девять. Оппозиция раскритиковала "
        "запланированное сокращение расходов на бассейны и предложила взять деньги из резервов.",
        "В понедельник из-за сильного шторма на севере страны были отменены сотни поездов. Железнодорожная компания "
        "посоветовала пассажирам перенести поездки и сообщила, что движение между двумя городами, скорее всего, "
        "будет закрыто до вечера.",
    ),
    "uk": (
        "Міська рада у вівторок увечері ухвалила бюджет на наступний рік після дебатів, які тривали понад п'ять "
        "годин. За проєкт проголосували 32 депутати, проти — дев'ять. Опозиція розкритикувала заплановане "
        "скорочення видатків на басейни і запропонувала взяти гроші з резервів.",
        "У понеділок через сильний шторм на півночі країни скасували сотні поїздів. Залізнична компанія порадила "
        "пасажирам перенести поїздки та повідомила, що рух між двома містами, ймовірно, буде закритий до вечора.",
    ),
    "bg": (
        "Общинският съвет прие във вторник вечерта бюджета за следващата година след дебат, който продължи повече "
        "от пет часа. За проекта гласуваха 32 съветници, а девет бяха против. Опозицията разкритикува планираните "
        "съкращения на разходите за басейни и предложи парите да бъдат взети от резервите.",
        "В понеделник заради силната буря в северната част на страната бяха отменени стотици влакове. Железницата "
        "посъветва пътниците да отложат пътуванията си и съобщи, че линията между двата града вероятно ще остане "
        "затворена до вечерта.",
    ),
    "el": (
        "Το δημοτικό συμβούλιο ενέκρινε την Τρίτη το βράδυ τον προϋπολογισμό του επόμενου έτους, μετά από συζήτηση "
        "που διήρκεσε περισσότερες από πέντε ώρες. Υπέρ ψήφισαν 32 σύμβουλοι και κατά εννέα. Η αντιπολίτευση "
        "επέκρινε τις περικοπές στα δημοτικά κολυμβητήρια.",
        "Εκατοντάδες δρομολόγια τρένων ακυρώθηκαν τη Δευτέρα στη βόρεια Ελλάδα λόγω της κακοκαιρίας. Η εταιρεία "
        "συνέστησε στους επιβάτες να αναβάλουν τα ταξίδια τους και ανακοίνωσε ότι η γραμμή θα μείνει κλειστή ως το "
        "βράδυ.",
    ),
}
