"""Short articles we wrote for the understanding tests: fictional people, outlets and events."""

from __future__ import annotations

FERRY_HEADLINE = "Harbour authority delays Ostrowski's ferry contract"
FERRY = (
    "Canadian Transport Minister Clara Ostrowski said on Monday that the Port Meridian Harbour "
    "Authority (PMHA) will delay its new ferry contract by four to six months.",
    "Ms. Ostrowski told reporters in Halifax that the delay would cost the province about "
    "$42-million in lost fares, and that 1,200 ferry workers would keep their jobs.",
    "“We will not sign a contract we cannot afford,” she said.",
    "Daniel Ferreira, a spokesman for the PMHA, said the authority had received three bids "
    "from shipbuilders in Norway and Canada's east coast.",
    "Ostrowski's office said talks with the shipbuilders would resume in April.",
)

MISSION = (
    "The Coastal Monitoring Mission in Kenya, known as COMIK, will end its patrols next year, "
    "the Solenne Group said on Tuesday.",
    "The Solenne Group, a private security company based in Lisbon, has run COMIK since 2019 "
    "with an estimated 300 guards.",
    "Kenya's government wants to replace COMIK with its own coast guard, officials said.",
    "Solenne chief executive Ruth Adebayo-Marsh said the company would bid for the new "
    "contract. Adebayo-Marsh declined to say how many guards would stay.",
)

QUIET = (
    "The weather was mild and the streets were quiet on the first morning of spring.",
    "Residents walked their dogs along the river, and most of the shops opened late.",
    "By noon the cafés were full and the square smelled of bread and coffee.",
)
