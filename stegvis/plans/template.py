"""The example plan of `shared/spec/plan-format.md`: the example rows of the Excel
template (`writer.plan_template_xlsx`). Kept in Python so that it is installed with
the package; `examples/exempel.yaml` is the same text (a test keeps them equal).
"""

EXAMPLE_PLAN = """\
format: stegvis-plan/1
unit: tkr                     # unit of every amount unless a line says otherwise: tkr | kr
association:
  name: Samordningsförbundet Exempel
  members:
    - {name: Försäkringskassan, kind: state}
    - {name: Arbetsförmedlingen, kind: state}
    - {name: Region Exempel, kind: region}
    - {name: Exempels kommun, kind: municipality, population: 50210}
    - {name: Grannby kommun, kind: municipality, population: 12044}
years: [2024, 2025, 2026]     # the first is the budget year, the rest plan years
opening_equity: 1500          # equity at the start of the first year, buffer included

contributions:                # optional: generate contribution lines from a total
  total: {2024: 8000, 2025: 8000, 2026: 8000}
  municipal_key: population   # population | equal | shares
  # shares: {Exempels kommun: 3, Grannby kommun: 1}   (with municipal_key: shares)

rules:                        # optional; these are the defaults
  equity_cap:
    base: revenues            # revenues | contributions
    tiers:                    # rate on the part of the base inside each tier;
      - {up_to: 7000, rate: 0.20} #   up_to in the file's unit (the default means 7 Mkr
      - {rate: 0.15}              #   whatever the file's unit)
  equity_min: 0               # lowest allowed closing equity (e.g. a liquidity buffer), file's unit
  admin_share_max: 0.15       # highest share of total costs
  admin_categories: [board, administration, premises]

revenues:
  - name: ESF-medel
    kind: grant               # contribution | grant | other
    amounts: {2024: 300, 2025: 300}
  # Contributions can also be given line by line instead of `contributions.total`:
  # - {name: Bidrag Region Exempel, kind: contribution, member: Region Exempel, amounts: {2024: 2000}}

costs:
  - name: Förbundschef
    category: administration  # board | administration | premises | competence | individual | structural | other | unallocated
    amounts: {2024: 1400, 2025: 1000, 2026: 1000}
  - name: Kontorshyra
    category: premises
    unit: kr                  # this line is in kronor
    amounts: {2024: 50000}
  - name: Steget
    category: individual
    intervention: Steget      # links the line to an insats below
    amounts: {2024: 2051}

interventions:                # optional
  - name: Steget
    kind: individual          # individual | structural
    owner: Exempels kommun
    members: [Exempels kommun, Försäkringskassan, Arbetsförmedlingen, Region Exempel]
    start: 2023-01-01
    end: 2025-12-31           # optional
    targets:
      - {text: "Minst 120 kvinnor och män deltar", metric: participants, op: ">=", value: 120, year: 2024}
      - {text: "90 % upplever att de får stöd", metric: survey_agree_share, question: support, op: ">=", value: 0.90}

goals:                        # optional: the goal map
  - perspective: Individ
    text: Insatserna arbetar med en tydlig inriktning mot egen försörjning
    activities: Enkät till deltagare vid avslut
    responsible: Förbundschef
    indicators:
      - {text: "70 % av deltagarna anger det", metric: survey_agree_share, question: person_centred, op: ">=", value: 0.70}
      - {text: "Minst 4 aktiviteter per år", metric: activities, op: ">=", value: 4}
      - {text: "Chefer upplever att samverkan utvecklats", metric: manual, source: "Gruppdialog på chefsmöte"}
"""
