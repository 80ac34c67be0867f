"""The 2023 child protection and care plan of Lào Cai province, restated from ../shared/seed/plan-2023-summary.md.

Spelling follows the summary (Unicode NFC), never the scanned text. Percentages are in hundredths of a percent.
"""

from datetime import date

YEAR = 2023
PROVINCE_CODE = 15
TITLE = "Kế hoạch triển khai thực hiện công tác bảo vệ, chăm sóc trẻ em tỉnh Lào Cai năm 2023"
HOTLINE = "1800 1136"

ISSUER = "Ủy ban nhân dân tỉnh Lào Cai"
DOLISA = "Sở Lao động – Thương binh và Xã hội"
HEALTH = "Sở Y tế"

# name, short name, level, last day in its role (None: still in it)
AGENCIES = [
    (ISSUER, "UBND tỉnh", "province", None),
    # In March 2025 child protection moved from Sở LĐ-TB&XH to Sở Y tế (the ministry was dissolved).
    (DOLISA, "Sở LĐ-TB&XH", "province", date(2025, 2, 28)),
    (HEALTH, "Sở Y tế", "province", None),
    ("Sở Thông tin và Truyền thông", "Sở TT&TT", "province", None),
    ("Sở Giáo dục và Đào tạo", "Sở GD&ĐT", "province", None),
    ("Sở Tài chính", None, "province", None),
    ("Tỉnh đoàn Lào Cai", "Tỉnh đoàn", "province", None),
    ("Ủy ban nhân dân cấp xã", "UBND xã", "commune", None),
    ("Trường học", None, "commune", None),
    ("Trạm Y tế xã", None, "commune", None),
    ("Hội Liên hiệp Phụ nữ", "Hội Phụ nữ", "commune", None),
    ("Đoàn Thanh niên Cộng sản Hồ Chí Minh", "Đoàn Thanh niên", "commune", None),
    ("Công an xã", None, "commune", None),
]
# ended agency -> the agency that took over its role (../shared/notes/domain-vietnam.md: Sở Y tế takes child
# protection and care from Sở LĐ-TB&XH under Nghị định 42/2025/NĐ-CP, in force 01/3/2025)
SUCCESSORS = {DOLISA: HEALTH}
COORDINATING = ["Sở Thông tin và Truyền thông", "Sở Giáo dục và Đào tạo", "Sở Tài chính", "Tỉnh đoàn Lào Cai"]

# code, start, end, due, data cut-off. The summary gives the due dates ("before 15 May", "before 10 October"); the
# periods themselves are the halves of the year. A report due on 15 May cannot count June: its figures are counted
# to the day before it is due.
PERIODS = [
    ("half_year", date(2023, 1, 1), date(2023, 6, 30), date(2023, 5, 15), date(2023, 5, 14)),
    ("annual", date(2023, 1, 1), date(2023, 12, 31), date(2023, 10, 10), date(2023, 10, 9)),
]

# code, Vietnamese, English, kind, direction, figure, baseline, baseline year, note
TARGETS = [
    ("T1", "Giảm tỷ lệ trẻ em có hoàn cảnh đặc biệt",
     "Reduce the share of children in special circumstances",
     "percent", "at_most", 350, 370, 2022, None),
    ("T2", "Trẻ em có hoàn cảnh đặc biệt được trợ giúp, chăm sóc",
     "Children in special circumstances who are supported and cared for",
     "percent", "at_least", 10000, None, None, None),
    ("T3", "Trẻ em bị bạo lực, xâm hại được kịp thời phát hiện, can thiệp, trợ giúp",
     "Children who suffer violence or abuse who are detected, helped and supported in time",
     "percent", "at_least", 10000, None, None, None),
    ("T4", "Cơ quan, đơn vị, doanh nghiệp, cơ sở sản xuất kinh doanh trên địa bàn không sử dụng lao động trẻ em",
     "Agencies, units, companies and businesses in the province that employ no child labour",
     "percent", "at_least", 10000, None, None, None),
    ("T5", "Trẻ em lao động trái quy định được phát hiện, can thiệp, hỗ trợ kịp thời",
     "Children working against the law who are detected, helped and supported in time",
     "percent", "at_least", 10000, None, None, None),
    ("T6", "Trẻ em trong và ngoài trường học được hướng dẫn và biết kỹ năng phòng, chống tai nạn thương tích, "
           "đặc biệt đuối nước",
     "Children in and out of school taught and knowing how to prevent injuries, especially drowning",
     "percent", "at_least", 9300, None, None, None),
    ("T7", "Tỷ lệ trẻ em được học bơi, biết bơi, có kỹ năng tự cứu đuối",
     "Share of children who learn to swim, can swim and can save themselves from drowning",
     "percent", "rising", None, None, None, "Tăng hằng năm (kế hoạch không nêu con số)."),
    ("T8", "Hộ gia đình, nhà trường, cộng đồng và trẻ em được tuyên truyền về phòng, chống tai nạn, thương tích, "
           "đuối nước",
     "Households, schools, communities and children reached by communication on preventing injuries and drowning",
     "percent", "at_least", 9300, None, None, None),
    ("T9", "Trẻ em dưới 6 tuổi được khám, chữa bệnh miễn phí tại cơ sở y tế công lập",
     "Children under 6 who receive free health care in public health facilities",
     "percent", "at_least", 10000, None, None, None),
    ("T10", "Hoàn thành hệ thống cơ sở dữ liệu trẻ em các cấp",
     "The child database completed at every level",
     "done", "at_least", 1, None, None, None),
    ("T11", "Cán bộ làm công tác bảo vệ, chăm sóc trẻ em cấp xã được tập huấn, bồi dưỡng",
     "Commune child protection and care staff who are trained",
     "percent", "at_least", 10000, None, None, None),
    ("T12", "Xã, phường, thị trấn đạt tiêu chuẩn phù hợp với trẻ em",
     "Communes, wards and towns meeting the child-friendly standard",
     "percent", "at_least", 10000, None, None, None),
    ("T13", "Quỹ Bảo trợ trẻ em cấp tỉnh vận động được",
     "Money raised by the provincial Child Support Fund",
     "money", "at_least", 1_000_000_000, None, None, None),
    ("T14", "Quỹ Bảo trợ trẻ em cấp huyện, cấp xã hoạt động hiệu quả",
     "District and commune Child Support Funds working effectively",
     "qualitative", "none", None, None, None, None),
]

# code, activity group, Vietnamese, English, level, events, participants, adults, children
QUANTITIES = [
    ("Q1", "training",
     "Lớp tập huấn nâng cao năng lực về phòng, chống bạo lực, xâm hại, tai nạn thương tích, đuối nước và lao động "
     "trẻ em",
     "Training classes on preventing violence and abuse, injuries and drowning, and child labour",
     None, 9, 540, None, None),
    ("Q2", "month_of_action",
     "Lễ phát động Tháng hành động vì trẻ em cấp tỉnh",
     "Provincial launch ceremony of the Month of Action for Children",
     "province", 1, None, None, None),
    ("Q3", "forum",
     "Lớp tập huấn cho dẫn trình viên và trẻ em tham gia diễn đàn trẻ em",
     "Training class for children's forum facilitators and children",
     None, 1, 80, 20, 60),
    ("Q4", "forum",
     "Diễn đàn trẻ em cấp tỉnh",
     "Provincial children's forum",
     "province", 1, None, None, None),
    ("Q5", "forum",
     "Diễn đàn trẻ em cấp huyện (9/9 đơn vị cấp huyện)",
     "District children's forums (9 of 9 district-level units)",
     "district", 9, None, None, None),
]
