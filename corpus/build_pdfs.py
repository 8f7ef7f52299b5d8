#!/usr/bin/env python3
"""Build the PDF records of the Clerk demo corpus.

All three documents are FICTIONAL. Their text is kept in this script; running
it writes the PDFs next to this file:

    eastbridge_corporate-parenting-panel_2023-11-14_minutes.pdf
    eastbridge_cyp-scrutiny_2024-06-18_minutes.pdf
    eastbridge_ofsted-focused-visit-letter_2024-05-22.pdf

Usage (from the repository root):

    .venv/bin/pip install fpdf2
    .venv/bin/python corpus/build_pdfs.py

The DejaVu Sans font is embedded when it is installed (Debian package
fonts-dejavu-core), so characters such as the "◼" bullets, "£" and curly
quotes appear as in the source. Without DejaVu the script falls back to the
core Helvetica font and replaces characters it cannot encode.

Source markup, one paragraph per line:
    ^text   centred bold title line
    !text   right-aligned bold line (letterhead)
    # text  bold heading, with space above
    > text  indented paragraph (numbered parts of a resolution)
    • text  bullet paragraph with a hanging indent (also "◼ ")
    (blank line)  paragraph gap
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timezone
from pathlib import Path

from fpdf import FPDF

HERE = Path(__file__).resolve().parent

DEJAVU_DIRS = [
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/local/share/fonts/dejavu",
]

# Replacements used only with the latin-1 core font fallback.
LATIN1_FALLBACK = {
    "◼": "-", "•": "-", "’": "'", "‘": "'", "“": '"', "”": '"',
    "–": "-", "—": "-", "…": "...",
}


def find_dejavu() -> tuple[str, str] | None:
    for d in DEJAVU_DIRS:
        regular = os.path.join(d, "DejaVuSans.ttf")
        bold = os.path.join(d, "DejaVuSans-Bold.ttf")
        if os.path.exists(regular) and os.path.exists(bold):
            return regular, bold
    return None


class RecordPDF(FPDF):
    def __init__(self, footer_left: str = "", running_header: str = "", page_style: str = "of"):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_left = footer_left
        self.running_header = running_header
        self.page_style = page_style
        fonts = find_dejavu()
        if fonts:
            self.add_font("Body", "", fonts[0])
            self.add_font("Body", "B", fonts[1])
            self.body_family = "Body"
            self.unicode_ok = True
        else:
            self.body_family = "Helvetica"
            self.unicode_ok = False
        self.set_margins(22, 20, 22)
        self.set_auto_page_break(auto=True, margin=22)
        self.alias_nb_pages()

    def clean(self, text: str) -> str:
        if self.unicode_ok:
            return text
        for a, b in LATIN1_FALLBACK.items():
            text = text.replace(a, b)
        return text.encode("latin-1", "replace").decode("latin-1")

    def header(self):
        if self.running_header and self.page_no() > 1:
            self.set_font(self.body_family, "", 8.5)
            self.cell(0, 5, self.clean(self.running_header), align="L")
            self.ln(9)

    def footer(self):
        self.set_y(-15)
        self.set_font(self.body_family, "", 8.5)
        if self.footer_left:
            self.cell(0, 5, self.clean(self.footer_left), align="L")
            self.set_x(self.l_margin)
        if self.page_style == "of":
            self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")
        else:
            self.cell(0, 5, str(self.page_no()), align="C")

    def render(self, source: str, size: float = 10.5, line_h: float = 5.4):
        self.add_page()
        width = self.w - self.l_margin - self.r_margin
        for raw in source.strip("\n").split("\n"):
            line = raw.rstrip()
            if not line:
                self.ln(line_h * 0.6)
                continue
            self.set_x(self.l_margin)
            if line.startswith("^"):
                self.set_font(self.body_family, "B", 13)
                self.multi_cell(width, 7, self.clean(line[1:].strip()), align="C")
            elif line.startswith("!"):
                self.set_font(self.body_family, "B", 11)
                self.multi_cell(width, 6, self.clean(line[1:].strip()), align="R")
            elif line.startswith("# "):
                self.ln(line_h * 0.4)
                self.set_font(self.body_family, "B", size + 0.5)
                self.multi_cell(width, line_h + 0.4, self.clean(line[2:].strip()), align="L")
                self.ln(1)
            elif line.startswith("> "):
                self.set_font(self.body_family, "", size)
                self.set_x(self.l_margin + 10)
                self.multi_cell(width - 10, line_h, self.clean(line[2:].strip()), align="L")
            elif line[:2] in ("• ", "◼ "):
                self.set_font(self.body_family, "", size)
                if self.get_y() + line_h > self.page_break_trigger:
                    self.add_page()  # keep the bullet with its first line
                y = self.get_y()
                self.set_x(self.l_margin + 2)
                self.cell(6, line_h, self.clean(line[0]))
                self.set_xy(self.l_margin + 8, y)
                self.multi_cell(width - 8, line_h, self.clean(line[2:].strip()), align="L")
            else:
                self.set_font(self.body_family, "", size)
                self.multi_cell(width, line_h, self.clean(line), align="L")


def build(filename: str, source: str, *, title: str, author: str, created: datetime,
          footer_left: str = "", running_header: str = "", page_style: str = "of") -> Path:
    pdf = RecordPDF(footer_left=footer_left, running_header=running_header, page_style=page_style)
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_creator("Clerk demo corpus (fictional records)")
    pdf.set_creation_date(created)
    pdf.render(source)
    out = HERE / filename
    pdf.output(str(out))
    return out


CPP_2023_11_14 = """
^EASTBRIDGE COUNTY COUNCIL
^CORPORATE PARENTING PANEL

Minutes of the meeting of the Corporate Parenting Panel held on Tuesday 14 November 2023 at 2.00 pm in Committee Room 2, County Hall, Eastbridge

PRESENT: Councillor Helen Carrow (Chairman); Councillors Graham Ashworth, Rebecca Dyball, Tom Lunt (substitute), Francis Mensah, Catrin Pryce-Morgan (Vice-Chairman) and Bernard Tulloch.

ALSO PRESENT: Councillor Jeremy Hales (Cabinet Member for Children's Services).

OFFICERS: Alison Brereton (Director of Children's Services), Gareth Sandford (Head of Children in Care and Care Leavers), Dr Nadia Kowalczyk (Headteacher, Virtual School), Lorraine Fitt (IRO Service Manager), Kelly Ambrose (Participation Lead) and Simon Greatorex (Democratic Services Officer).

Three members of Eastbridge Voices, the County's Children in Care Council, attended for Minute 41.

# 38. APOLOGIES AND SUBSTITUTIONS (Agenda Item 1)

Apologies were received from Councillor Deborah Frain, for whom Councillor Tom Lunt attended as substitute, and from Jo Whitlam, Designated Nurse for Looked After Children.

# 39. DECLARATIONS OF INTEREST (Agenda Item 2)

Councillor Mensah declared a non-pecuniary interest in Minute 43 as an approved foster carer with an independent fostering agency. He remained in the meeting and took part in the discussion. No other interests were declared.

# 40. MINUTES OF THE PREVIOUS MEETING AND MATTERS ARISING (Agenda Items 3 and 4)

RESOLVED that the minutes of the meeting held on 12 September 2023 be approved as a correct record and signed by the Chairman.

Matters arising: with reference to Minute 31 (dental care for children in care), the Director reported that the Integrated Care Board had agreed a fast-track referral route to two dental practices in Eastbridge and one in Kingsmead. Details would be sent to members.

# 41. CARE LEAVERS' LOCAL OFFER (Agenda Item 5)

The Head of Children in Care and Care Leavers presented the draft Local Offer for Care Leavers 2024-26. It had been developed over the summer with 64 care leavers through Eastbridge Voices and the "Next Steps" group for young people aged 18 and over. The County Council currently supported 486 care leavers aged 18 to 25; 58% were in education, employment or training and 91% were judged to be in suitable accommodation.

The main changes proposed were:

• Council tax. The County Council is not a billing authority. Under agreements with the six district councils, care leavers aged 18 to 21 living in the county already received a full council tax discount, with the County Council reimbursing the districts. It was proposed to extend this to the day before a care leaver's 25th birthday from 1 April 2024, at an estimated additional cost to the County Council of £96,000 a year. This needed a Cabinet decision and the agreement of each district council.

• Setting-up-home allowance. An increase from £2,000 to £3,000 for young people moving into their first home, reflecting the rise in the cost of furniture and white goods.

• Travel. Free travel on county-supported bus services for all care leavers up to age 25.

• Work. A guaranteed interview for care leavers who meet the essential criteria for County Council jobs, and ten apprenticeships each year ring-fenced for care leavers.

• Staying close. Continued support from a named worker for young people leaving the County's children's homes.

A member of Eastbridge Voices described receiving a council tax bill shortly after her 21st birthday while working part-time, and the worry of falling into arrears in her first tenancy. Another asked that the Local Offer be printed as a short booklet as well as online. The Chairman thanked the young people for speaking so clearly.

In answer to Councillor Tulloch, the Director said the cost of the changes would be met within the Children's Services budget, largely from lower spending on agency staff. Councillor Dyball asked whether the offer applied to unaccompanied asylum-seeking young people and care leavers in custody; the Head of Service confirmed that it applied to every Eastbridge care leaver, whatever their immigration status, and that PAs visited young people in custody at least every eight weeks.

RESOLVED:

> (1) That the Care Leavers' Local Offer 2024-26 be approved for publication on 1 January 2024, with authority delegated to the Director of Children's Services to make minor changes before publication.

> (2) That Cabinet be recommended to extend the council tax discount for Eastbridge care leavers from their 21st to their 25th birthday with effect from 1 April 2024, and to seek the agreement of the six district councils.

> (3) That the setting-up-home allowance be increased from £2,000 to £3,000 for young people leaving care on or after 1 January 2024.

> (4) That the Panel's thanks be recorded to the members of Eastbridge Voices for their work on the Local Offer.

# 42. INDEPENDENT REVIEWING OFFICER SERVICE ANNUAL REPORT 2022/23 (Agenda Item 6)

The IRO Service Manager presented the annual report. During 2022/23 the service had chaired 2,214 reviews for children in care, 94% of them on time, and 87% of children aged four and over had taken part in their review in some way. The average IRO caseload over the year was 74 children, above the range of 50 to 70 recommended in the IRO Handbook; a business case for two further IRO posts had been submitted. IROs had raised 19 formal practice alerts, most of them about delay in permanence planning or in decisions to start the PLO. All but two had been resolved at the first stage.

Councillor Pryce-Morgan asked how often IROs saw children between reviews. Ms Fitt said midway contact was now recorded for 71% of children and the aim was every child.

RESOLVED: That the report be noted.

# 43. CHILDREN IN CARE PERFORMANCE SCORECARD - QUARTER 2 2023/24 (Agenda Item 7)

The scorecard showed 812 children in care at 30 September 2023 (779 a year earlier), a rate of 62 per 10,000 children, including 61 unaccompanied asylum-seeking children. 68% of CLA lived in family-based placements. 11% had had three or more placements in the previous twelve months. 43 children were in residential placements outside the county, at an average weekly cost of £6,150. 37 families were in the pre-proceedings stage of the PLO. Review health assessments had been completed on time for 89% of children.

Members were concerned that 24% of children were placed more than 20 miles from home. Officers explained that this figure included children placed with relatives and in specialist schools, and that the sufficiency proposals at Minute 45 were intended to reduce it.

RESOLVED - to note the performance scorecard and to ask that future scorecards show the number of children placed more than 20 miles from home, with the reasons.

# 44. VIRTUAL SCHOOL: PERSONAL EDUCATION PLANS (Agenda Item 8)

Dr Kowalczyk reported that 93% of children in care of school age had a Personal Education Plan completed in the summer term. 41% had some form of SEND and 27% had an EHCP. Persistent absence among children in care was 14%, and there had been two permanent exclusions in 2022/23, both later overturned. Pupil Premium Plus funding was now being used to fund tutoring for every child in Year 11.

RESOLVED: That the report be noted and that the Panel's thanks be sent to the designated teachers in Eastbridge schools.

# 45. PLACEMENT SUFFICIENCY: IN-HOUSE CHILDREN'S HOMES (Agenda Item 9)

The Director outlined a proposal to open two three-bedroom children's homes run by the County Council, one in Kingsmead and one in Thornbury St Clare, so that more children who need residential care could live closer to home. Capital of £1.6 million would be needed, and the homes were expected to save about £700,000 a year compared with external placements once both were full.

RESOLVED that the Panel (1) supports the proposal to develop two in-house children's homes; and (2) asks the Cabinet Member to bring the full business case to Cabinet in February 2024.

# 46. WORK PROGRAMME (Agenda Item 10)

RESOLVED: That the work programme be agreed, with the addition of an item on the move from children's to adult mental health services for care leavers at the meeting in March 2024.

# 47. DATE OF NEXT MEETING (Agenda Item 11)

The next meeting would be held on Tuesday 12 March 2024 at 2.00 pm.

The meeting closed at 4.22 pm.

Chairman ........................................    Date ....................
"""

CYP_SCRUTINY_2024_06_18 = """
^Eastbridge County Council
^Children and Young People's Scrutiny Committee

MINUTES of a meeting of the Children and Young People's Scrutiny Committee held at County Hall, Eastbridge on Tuesday 18 June 2024 at 10.00 am.

PRESENT: Councillor Philip Ormerod (Chairman), Councillor Sunita Bhaskar (Vice-Chairman), Councillors Graham Ashworth, Lesley Cropper, Rebecca Dyball, Martin Fairclough, Hugh Lamplugh, Tom Lunt, Ifeoma Nnadi and Derek Wragg. Co-opted member: the Reverend Canon Ruth Alder (Diocese of Eastbridge).

IN ATTENDANCE: Councillor Jeremy Hales (Cabinet Member for Children's Services); Councillor Anne Petrie (Cabinet Member for Education and Skills); Alison Brereton (Director of Children's Services); Dr Lucy Penrose (Assistant Director, Education and Inclusion); Gareth Sandford (Head of Children in Care and Care Leavers); Mark Tennant (Head of School Organisation); Bev Nolan (Head of Youth Services); Simon Greatorex (Democratic Services Officer).

# 14. APOLOGIES (Agenda Item 1)

Apologies were received from Mr Paul Dziedzic, parent governor representative.

# 15. DECLARATIONS OF INTEREST (Agenda Item 2)

Councillor Nnadi declared a personal interest in Minute 20 as a governor of Kingsmead Primary School. Councillor Lamplugh declared a personal interest in Minute 21 as the parent of a child with an EHCP. Both remained in the meeting.

# 16. MINUTES (Agenda Item 3)

RESOLVED: That the minutes of the meeting held on 19 March 2024 be confirmed as a correct record.

# 17. PUBLIC QUESTIONS (Agenda Item 4)

No public questions had been received.

# 18. OFSTED FOCUSED VISIT: CARE LEAVERS (Agenda Item 5)

The Director of Children's Services introduced the letter published by Ofsted on 22 May 2024 following the focused visit of 16 and 17 April 2024, which had looked at arrangements for care leavers. Inspectors had found that care leavers were well known to their personal advisers and had welcomed the improved Local Offer, including the council tax discount up to age 25 that had come into effect on 1 April 2024. They had also found that pathway plans were too variable in quality, that PA caseloads were too high, that many care leavers did not have their health histories, and that support for those aged 21 to 25 was not always followed up.

The Head of Children in Care and Care Leavers took members through the action plan at Appendix 2. Four additional PA posts had been approved, and the aim was to bring the average PA caseload down from 28 to 20 by December 2024. A new pathway plan format written with young people would be launched in July.

Councillor Bhaskar asked how the Committee would know whether pathway plans had actually improved. The Director said a themed audit of 50 plans would be carried out in the autumn and reported to the Corporate Parenting Panel. Canon Alder asked about care leavers' mental health; the Cabinet Member said a joint protocol with the adult mental health trust was being drafted.

RESOLVED - to note the outcome of the Ofsted focused visit, to endorse the action plan set out at Appendix 2 to the report, and to receive a progress update at the meeting in December 2024.

Canon Alder left the meeting at the end of this item.

# 19. SOCIAL WORK WORKFORCE: CASELOADS AND RECRUITMENT (Agenda Item 6)

The Director presented the annual workforce report. The average caseload across the children in need and child protection teams was 17.8 children per social worker, and 16.2 in the children in care teams. The Kingsmead district team remained the exception, with an average of 23, because of the growth of new housing in the area. 14% of social worker posts were filled by agency staff (17% a year earlier) and the vacancy rate was 11%. The regional agreement capping agency pay rates had reduced movement between neighbouring councils. 31 social work apprentices were in training with the County Council, and the first 9 would qualify in September 2024. The MASH was receiving about 2,050 contacts a month.

Members asked what was being done for the Kingsmead team. Two experienced social workers were moving there from other teams, and a third ASYE post had been added.

RESOLVED: That the report be noted and that the Committee receive the next annual workforce report in January 2025.

# 20. SCHOOL PLACE PLANNING 2024-2029 (Agenda Item 7)

The Head of School Organisation presented the School Place Planning Strategy 2024-2029. Births in the county had fallen by 9% since 2017, and there were 11% surplus primary places county-wide, rising to 18% in some rural schools in the west of the county. In contrast, the Kingsmead Park development of 2,400 homes meant that Eastbridge town was forecast to be short of 240 Year 7 places by September 2027.

Two options were set out: (a) to expand Castle Hill Academy by two forms of entry, adding 300 places across Years 7 to 11, at an estimated cost of £9.6 million funded from Basic Need grant and £3.1 million of section 106 contributions; or (b) to wait for a new secondary free school at Kingsmead Park, which could not open before 2029 and depended on a bid to the Department for Education. Officers recommended option (a), with temporary bulge classes until the expansion was complete.

Councillor Fairclough said Castle Hill was already the largest school in the county and that the new school should be the priority; he was supported by Councillor Wragg, who was concerned about traffic on Castle Hill Road at the start and end of the school day. Councillor Cropper said the children needing places in 2027 could not wait for a school that might never be approved. Councillor Lamplugh said he wanted more information on transport before deciding.

A recorded vote was requested on the recommendations, and the voting was as follows:

For (7): Councillors Ashworth, Bhaskar, Cropper, Dyball, Lunt, Nnadi and Ormerod.
Against (2): Councillors Fairclough and Wragg.
Abstain (1): Councillor Lamplugh.

RESOLVED that the Committee:
> (1) supports the School Place Planning Strategy 2024-2029;
> (2) recommends to Cabinet that Castle Hill Academy be expanded by two forms of entry from September 2026, at an estimated capital cost of £9.6 million; and
> (3) asks officers to continue to press the Department for Education for a new secondary school at Kingsmead Park, and to publish a school travel plan for Castle Hill Academy before building work starts.

# 21. SEND: TIMELINESS OF EDUCATION, HEALTH AND CARE PLANS (Agenda Item 8)

Dr Penrose reported that 5,412 children and young people had an EHCP in January 2024, 12% more than a year earlier. Only 38% of new EHCPs had been issued within 20 weeks during 2023, well below the national average. Since six additional educational psychologists had been engaged and the EHC coordinator team reorganised, timeliness had improved to 52% in April and May 2024. There had been 214 appeals to the SEND Tribunal in 2023. The high needs deficit on the Dedicated Schools Grant stood at £23.4 million at 31 March 2024.

Members expressed serious concern at the effect of delay on families. Councillor Lamplugh asked that parents be told at each stage where their child's assessment had reached; this would be included in a new online tracker.

RESOLVED: That (1) the report be noted; (2) the Committee's concern at the timeliness of EHCPs be conveyed to the Cabinet Member for Education and Skills; and (3) a further report, including progress on the DSG management plan, be brought to the meeting in October 2024.

# 22. RIVERSIDE YOUTH CENTRE (Agenda Item 9)

The Head of Youth Services reported that Riverside Youth Centre in Eastbridge had closed in October 2023 when its roof was found to be unsafe. On 30 April 2024 Cabinet had approved a capital budget of £1.35 million to refurbish the centre, made up of £850,000 from the County Council's capital programme, £400,000 from a national youth investment grant and £100,000 from the Eastbridge Community Foundation. The work would include a new roof, accessible changing facilities, a training kitchen and a sensory room for young people with SEND. A revenue budget of £185,000 a year would fund the youth work programme, including a detached youth work team for the town centre. The centre was expected to reopen in spring 2025.

In answer to questions, members heard that sessions had moved temporarily to St Luke's church hall and to the mobile youth bus, and that attendance had fallen by about a third during the closure.

RESOLVED: That the Committee (1) welcomes the £1.35 million capital investment in Riverside Youth Centre; and (2) asks that young people, including members of the Eastbridge Youth Council, be involved in the design of the refurbished centre.

# 23. WORK PROGRAMME (Agenda Item 10)

RESOLVED: That the work programme for 2024/25 be agreed.

The meeting closed at 1.05 pm.

CHAIRMAN
"""

OFSTED_FOCUSED_VISIT_2024_05_22 = """
!Ofsted
!www.gov.uk/ofsted

22 May 2024

Alison Brereton
Director of Children's Services
Eastbridge County Council
County Hall
Eastbridge
EB1 2CH

Dear Alison

# Focused visit to Eastbridge County Council children's services

This letter sets out what we found during the focused visit to Eastbridge County Council children's services on 16 and 17 April 2024. His Majesty's Inspectors for the visit were Sarah Penhaligon and Daniel Achterberg.

The visit looked at the local authority's arrangements for care leavers, including young people aged 21 to 25 who continue to receive, or who come back for, support from the leaving care service.

The visit took place under the inspection of local authority children's services (ILACS) framework. Inspectors read the records of care leavers, met care leavers and their personal advisers (PAs), and spoke with managers and senior leaders. They also considered the local authority's performance data, audits and self-evaluation.

# Headline findings

Since the last inspection in March 2022, when services for children in Eastbridge were judged to require improvement to be good, leaders have given more priority to care leavers. Most care leavers now stay in touch with a PA who knows them well, and the revised local offer published in January 2024 is more generous and easier to understand. However, the quality of pathway planning is too variable, and high PA caseloads mean that some young people, particularly those aged over 21, do not receive the regular contact they need. Leaders know this, and their self-evaluation is accurate.

# What needs to improve in this area of social work practice?

◼ The quality of pathway plans, so that they are written with young people, say clearly what help they will receive and are updated when their circumstances change.

◼ The capacity of the personal adviser service, so that PAs can keep in regular contact with every care leaver.

◼ Care leavers' access to their health histories and to adult mental health services.

◼ Management oversight of the support given to care leavers aged 21 to 25, and to care leavers in custody.

# Main findings

Care leavers in Eastbridge are positive about their PAs. Many told inspectors that their PA was the one professional they could rely on, and records show PAs going out of their way to help young people with tenancies, college applications and benefit claims. Most young people are introduced to their PA well before they turn 18, which helps them to build a relationship at an anxious time.

The local offer was revised with care leavers and published in January 2024. It now includes a full council tax discount until a care leaver's 25th birthday, which took effect from 1 April 2024, a setting-up-home allowance of £3,000 and free travel on supported bus routes. Care leavers who spoke to inspectors knew about the offer and valued it. Ten council apprenticeships a year are set aside for care leavers, and 60% of care leavers aged 19 to 21 are in education, employment or training.

Most care leavers live in accommodation that is suitable for them. Joint work with the six district housing authorities is effective, and no care leaver has been placed in bed and breakfast accommodation in the last year. A small number of young people leaving the county's residential homes benefit from a staying close arrangement.

Pathway plans are not consistently good enough. The best plans are written in the young person's own words and set out clearly who will do what. Too many, however, are copied forward from one review to the next, contain goals that are vague, and are not updated when a young person's situation changes, for example after losing a job or a tenancy. At the time of the visit, only 64% of care leavers had a plan reviewed in the previous six months.

The average PA caseload is 28, and some PAs support more than 30 young people. PAs told inspectors that this means contact is often reactive, responding to crises rather than planned. Leaders have recently approved four additional PA posts, but these were not yet filled at the time of the visit.

Care leavers aged 21 to 25 who ask for support receive a prompt response, but their needs are not always assessed and their cases are sometimes closed without management oversight. Care leavers in custody are visited regularly, although planning for their release starts too late in some cases.

Only 55% of care leavers have received a summary of their health history. Young people with mental health needs face long waits for adult services once they turn 18, and the transition from children's services is not always planned early enough.

Unaccompanied asylum-seeking young people are supported well by PAs who understand their circumstances. Interpreters are used routinely and young people receive help to pursue their immigration claims.

Senior leaders and elected members show a strong commitment to care leavers. The corporate parenting panel listens to the views of Eastbridge Voices and has acted on them, for example in extending the council tax discount. Leaders have an accurate understanding of the strengths and weaknesses of the service. Their plans to improve pathway planning and to increase PA capacity are appropriate, but it is too soon to see their impact.

The workforce in the leaving care service is stable, and PAs receive regular supervision. Managers' decisions are not always recorded on young people's files, which makes it hard to see why some actions were not followed up.

Ofsted will take the findings from this focused visit into account when planning your next inspection or visit.

Yours sincerely

Sarah Penhaligon
His Majesty's Inspector
"""


def main() -> int:
    outputs = [
        build(
            "eastbridge_corporate-parenting-panel_2023-11-14_minutes.pdf",
            CPP_2023_11_14,
            title="Minutes - Corporate Parenting Panel - 14 November 2023",
            author="Eastbridge County Council",
            created=datetime(2023, 11, 21, 9, 30, tzinfo=timezone.utc),
            footer_left="Corporate Parenting Panel - 14 November 2023",
        ),
        build(
            "eastbridge_cyp-scrutiny_2024-06-18_minutes.pdf",
            CYP_SCRUTINY_2024_06_18,
            title="Minutes - Children and Young People's Scrutiny Committee - 18 June 2024",
            author="Eastbridge County Council",
            created=datetime(2024, 6, 26, 14, 0, tzinfo=timezone.utc),
            footer_left="Children and Young People's Scrutiny Committee, 18.06.24",
        ),
        build(
            "eastbridge_ofsted-focused-visit-letter_2024-05-22.pdf",
            OFSTED_FOCUSED_VISIT_2024_05_22,
            title="Focused visit to Eastbridge County Council children's services",
            author="Ofsted",
            created=datetime(2024, 5, 22, 8, 0, tzinfo=timezone.utc),
            running_header="Eastbridge County Council: focused visit, 16 and 17 April 2024",
            page_style="plain",
        ),
    ]
    for out in outputs:
        print(f"wrote {out.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
