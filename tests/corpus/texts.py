"""Article texts for the golden corpus, in several languages (written for this corpus)."""

from __future__ import annotations

EN = [
    "The city council voted on Tuesday to approve a new budget that raises spending on public transport by twelve percent, the largest increase in a decade.",
    "Supporters said the money would pay for longer evening service on the busiest bus routes and for repairs to three tram stations that have been closed since the spring floods.",
    "“People have waited long enough for a bus that comes when they need it,” said Maria Lopez, who chairs the transport committee. “This budget finally treats transit as a service, not a luxury.”",
    "Opponents warned that the plan relies on optimistic forecasts of fare revenue and could force cuts elsewhere if ridership does not recover to its levels before the pandemic.",
    "The budget also sets aside money for a pilot program that will let residents of two outlying districts book small shuttle buses through a phone app.",
    "Officials expect the first new timetables to take effect in September, after a public consultation that begins next month and runs for six weeks.",
    "Farmers in the valley have begun harvesting a week earlier than usual after an unusually warm summer that left reservoirs at their lowest level in twenty years.",
    "Water authorities imposed limits on irrigation in July, and several growers said they had switched to crops that need less water, such as sorghum and chickpeas.",
    "“We are learning to farm with less, because there is no other choice,” said Tom Reilly, whose family has grown tomatoes on the same land for four generations.",
    "Scientists at the regional university said the drought fits a pattern of hotter, drier summers that is likely to continue as long as global emissions keep rising.",
    "The state has promised emergency grants of up to fifty thousand dollars for farms that can show losses of more than a third of their normal yield.",
    "Applications open on the first of October, and the agriculture department said it would hire temporary staff to process them quickly.",
    "A team of engineers has finished restoring the old railway bridge over the river, reopening a crossing that carried freight trains for more than a century.",
    "The steel structure, built in 1894, had been closed to traffic since inspectors found corrosion in its main girders during a routine survey six years ago.",
    "Instead of demolishing the bridge, the city chose to replace the damaged sections piece by piece, keeping the original rivets wherever they could be saved.",
    "The bridge will now carry pedestrians and cyclists, linking the riverside park to the new housing on the eastern bank.",
    "Local historians welcomed the decision and said the bridge is one of the last examples of its design still standing in the country.",
    "The hospital said it would open a second emergency department next year to cut waiting times that have grown steadily since the closure of a nearby clinic.",
    "Nurses have complained for months about overcrowded corridors and patients waiting on trolleys for many hours before being admitted to a ward.",
    "The new department will have forty beds and its own diagnostic unit, so that patients with minor injuries can be treated without entering the main building.",
    "Health officials said recruiting enough staff remains the biggest challenge, and the hospital has begun offering housing support to attract nurses from other regions.",
    "The museum reopened its doors on Saturday after a two-year renovation that doubled its exhibition space and added a new wing for contemporary art.",
    "Thousands of visitors queued in the rain to see the first show, a retrospective of a painter who spent most of her life in the fishing village down the coast.",
    "Curators spent eighteen months tracking down works held in private collections abroad, some of which have never been shown in public before.",
    "Admission will be free on the first Sunday of every month, a policy the director said was meant to bring in families who have never visited a gallery.",
    "The court ruled on Friday that the county had broken election law by closing polling stations without giving voters the notice required by statute.",
    "The judge ordered the county to reopen at least four stations before the next election and to publish their locations in local newspapers and online.",
    "Civil rights groups that brought the case said the closures had fallen hardest on elderly voters and on neighbourhoods without reliable public transport.",
    "The county said it would review the ruling before deciding whether to appeal, noting that the closures had been meant to save money on staff.",
    "Police said the festival passed off peacefully, with only a handful of minor incidents reported over the three days of music and food stalls.",
]

DE = [
    "Der Stadtrat hat am Dienstag einen neuen Haushalt beschlossen, der die Ausgaben für den öffentlichen Nahverkehr um zwölf Prozent erhöht.",
    "Befürworter sagten, mit dem Geld sollen längere Abendfahrten auf den meistgenutzten Buslinien und die Sanierung von drei Straßenbahnhaltestellen bezahlt werden.",
    "„Die Menschen haben lange genug auf einen Bus gewartet, der kommt, wenn sie ihn brauchen“, sagte die Vorsitzende des Verkehrsausschusses.",
    "Kritiker warnten dagegen, der Plan beruhe auf zu optimistischen Annahmen über die Fahrgeldeinnahmen und könne Kürzungen an anderer Stelle erzwingen.",
    "Die ersten neuen Fahrpläne sollen im September gelten, nachdem eine öffentliche Anhörung im kommenden Monat abgeschlossen ist.",
]
ES = [
    "El ayuntamiento aprobó el martes un nuevo presupuesto que aumenta en un doce por ciento el gasto en transporte público, el mayor incremento en una década.",
    "Los partidarios afirmaron que el dinero servirá para ampliar el servicio nocturno en las líneas de autobús más concurridas y para reparar tres estaciones de tranvía.",
    "«La gente ha esperado demasiado tiempo un autobús que llegue cuando lo necesita», dijo la presidenta de la comisión de transporte.",
    "Los críticos advirtieron de que el plan se basa en previsiones demasiado optimistas sobre los ingresos por billetes y podría obligar a recortes en otras partidas.",
    "Los primeros horarios nuevos entrarán en vigor en septiembre, tras una consulta pública que comenzará el próximo mes y durará seis semanas.",
]
RU = [
    "Городской совет во вторник утвердил новый бюджет, который увеличивает расходы на общественный транспорт на двенадцать процентов.",
    "Сторонники решения заявили, что деньги пойдут на продление вечерних рейсов на самых загруженных автобусных маршрутах и на ремонт трёх трамвайных остановок.",
    "«Люди слишком долго ждали автобуса, который приходит тогда, когда он нужен», — сказала председатель транспортного комитета.",
    "Противники плана предупредили, что он основан на слишком оптимистичных прогнозах доходов от продажи билетов и может привести к сокращениям в других статьях.",
    "Первые новые расписания вступят в силу в сентябре после общественных слушаний, которые начнутся в следующем месяце.",
]
JA = [
    "市議会は火曜日、公共交通機関への支出を12パーセント増やす新しい予算案を可決した。過去10年で最大の増額となる。",
    "賛成派は、この予算で最も利用者の多いバス路線の夜間運行を延長し、春の洪水以来閉鎖されている三つの路面電車の駅を修理すると説明した。",
    "交通委員会の委員長は「市民は必要なときに来るバスを十分に長く待ってきた」と述べた。",
    "反対派は、計画が運賃収入の楽観的な見通しに頼っており、利用者数が回復しなければ他の分野での削減を迫られる可能性があると警告した。",
    "新しい時刻表は、来月から六週間行われる市民の意見募集を経て、九月に導入される予定だ。",
]
FR = [
    "Le conseil municipal a adopté mardi un nouveau budget qui augmente de douze pour cent les dépenses consacrées aux transports publics.",
    "Ses partisans estiment que cet argent financera des services de soirée plus longs sur les lignes de bus les plus fréquentées et la rénovation de trois stations de tramway.",
    "« Les habitants ont attendu assez longtemps un bus qui passe quand ils en ont besoin », a déclaré la présidente de la commission des transports.",
    "Les opposants ont averti que le plan repose sur des prévisions trop optimistes des recettes et pourrait imposer des coupes ailleurs.",
    "Les premiers nouveaux horaires entreront en vigueur en septembre, après une consultation publique qui débutera le mois prochain.",
]


def english(seed: int, n: int = 6) -> list[str]:
    """n consecutive English paragraphs starting at a seed-dependent place."""
    start = (seed * 5) % len(EN)
    return [EN[(start + i) % len(EN)] for i in range(n)]
