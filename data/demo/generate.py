#!/usr/bin/env python3
"""Generate Atelier's demo fashion catalog (data/demo/articles.csv).

The output uses exactly the column layout of the H&M Personalized Fashion
Recommendations ``articles.csv`` so the same parser and indexer can read both.
Every product name and description is composed here from our own templates
and word lists; only the public category vocabularies (product types,
colour groups, index/section/department codes, ...) are reused so the demo is
schema-faithful.

Deterministic (``random.Random(42)``), standard library only.

    python3 data/demo/generate.py            # (re)write articles.csv
    python3 data/demo/generate.py --check    # validate the committed file
"""

import argparse
import csv
import io
import os
import random
import re
import sys
from collections import Counter

SEED = 42
OUT_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "articles.csv")
FIRST_PRODUCT_CODE = 990001  # 0990001...: a range the real catalog does not use

HEADER = (
    "article_id,product_code,prod_name,product_type_no,product_type_name,"
    "product_group_name,graphical_appearance_no,graphical_appearance_name,"
    "colour_group_code,colour_group_name,perceived_colour_value_id,"
    "perceived_colour_value_name,perceived_colour_master_id,"
    "perceived_colour_master_name,department_no,department_name,index_code,"
    "index_name,index_group_no,index_group_name,section_no,section_name,"
    "garment_group_no,garment_group_name,detail_desc"
).split(",")

# ---------------------------------------------------------------------------
# Category vocabularies (codes as used by the public H&M schema)
# ---------------------------------------------------------------------------

INDEXES = {  # index_code -> (index_name, index_group_no, index_group_name)
    "A": ("Ladieswear", 1, "Ladieswear"),
    "B": ("Lingeries/Tights", 1, "Ladieswear"),
    "C": ("Ladies Accessories", 1, "Ladieswear"),
    "D": ("Divided", 2, "Divided"),
    "F": ("Menswear", 3, "Menswear"),
    "G": ("Baby Sizes 50-98", 4, "Baby/Children"),
    "H": ("Children Sizes 92-140", 4, "Baby/Children"),
    "I": ("Children Sizes 134-170", 4, "Baby/Children"),
    "J": ("Children Accessories, Swimwear", 4, "Baby/Children"),
    "S": ("Sport", 26, "Sport"),
}

PRODUCT_TYPES = {  # name -> (product_type_no, product_group_name)
    "Dress": (265, "Garment Full body"),
    "Jumpsuit/Playsuit": (267, "Garment Full body"),
    "Garment Set": (270, "Garment Full body"),
    "Outdoor overall": (271, "Garment Full body"),
    "Cardigan": (245, "Garment Upper body"),
    "Sweater": (252, "Garment Upper body"),
    "Vest top": (253, "Garment Upper body"),
    "Top": (254, "Garment Upper body"),
    "T-shirt": (255, "Garment Upper body"),
    "Bodysuit": (256, "Garment Upper body"),
    "Polo shirt": (257, "Garment Upper body"),
    "Blouse": (258, "Garment Upper body"),
    "Shirt": (259, "Garment Upper body"),
    "Outdoor Waistcoat": (261, "Garment Upper body"),
    "Jacket": (262, "Garment Upper body"),
    "Coat": (263, "Garment Upper body"),
    "Blazer": (264, "Garment Upper body"),
    "Hoodie": (308, "Garment Upper body"),
    "Trousers": (272, "Garment Lower body"),
    "Leggings/Tights": (273, "Garment Lower body"),
    "Shorts": (274, "Garment Lower body"),
    "Skirt": (275, "Garment Lower body"),
    "Outdoor trousers": (276, "Garment Lower body"),
    "Underwear bottom": (286, "Underwear"),
    "Bra": (306, "Underwear"),
    "Robe": (305, "Underwear"),
    "Night gown": (293, "Nightwear"),
    "Pyjama jumpsuit/playsuit": (295, "Nightwear"),
    "Pyjama bottom": (296, "Nightwear"),
    "Pyjama set": (297, "Nightwear"),
    "Swimsuit": (57, "Swimwear"),
    "Swimwear bottom": (59, "Swimwear"),
    "Bikini top": (298, "Swimwear"),
    "Socks": (302, "Socks & Tights"),
    "Underwear Tights": (304, "Socks & Tights"),
    "Bag": (66, "Accessories"),
    "Belt": (67, "Accessories"),
    "Cap/peaked": (69, "Accessories"),
    "Earring": (70, "Accessories"),
    "Gloves": (71, "Accessories"),
    "Hair clip": (72, "Accessories"),
    "Hat/beanie": (75, "Accessories"),
    "Hat/brim": (76, "Accessories"),
    "Necklace": (77, "Accessories"),
    "Scarf": (80, "Accessories"),
    "Sunglasses": (81, "Accessories"),
    "Tie": (82, "Accessories"),
    "Ballerinas": (86, "Shoes"),
    "Boots": (87, "Shoes"),
    "Other shoe": (89, "Shoes"),
    "Pumps": (90, "Shoes"),
    "Sandals": (91, "Shoes"),
    "Heeled sandals": (92, "Shoes"),
    "Sneakers": (94, "Shoes"),
    "Backpack": (467, "Bags"),
}

GRAPHICS = {
    "Unknown": -1,
    "All over pattern": 1010001,
    "Application/3D": 1010002,
    "Check": 1010004,
    "Colour blocking": 1010005,
    "Dot": 1010006,
    "Embroidery": 1010007,
    "Front print": 1010008,
    "Glittering/Metallic": 1010009,
    "Melange": 1010010,
    "Metallic": 1010011,
    "Placement print": 1010014,
    "Sequin": 1010015,
    "Solid": 1010016,
    "Stripe": 1010017,
    "Treatment": 1010018,
    "Lace": 1010021,
    "Jacquard": 1010022,
    "Denim": 1010023,
    "Chambray": 1010024,
    "Other structure": 1010026,
}

PERCEIVED_VALUE = {-1: "Unknown", 1: "Dusty Light", 2: "Medium Dusty", 3: "Light",
                   4: "Dark", 5: "Bright", 6: "Undefined", 7: "Medium"}
PERCEIVED_MASTER = {-1: "Unknown", 1: "Mole", 2: "Blue", 3: "Orange", 4: "Pink",
                    5: "Black", 6: "Lilac Purple", 7: "Turquoise", 8: "Yellow",
                    9: "White", 11: "Beige", 12: "Grey", 13: "Brown",
                    14: "undefined", 15: "Metal", 18: "Red", 19: "Green",
                    20: "Khaki green"}

# colour_group_name -> (colour_group_code, [(perceived value id, master id, weight)])
COLOURS = {
    "Other": ("01", [(6, 14, 1)]),
    "Transparent": ("02", [(3, 9, 1)]),
    "Silver": ("03", [(3, 15, 1)]),
    "Bronze/Copper": ("04", [(2, 15, 1)]),
    "Gold": ("05", [(5, 15, 1)]),
    "Light Grey": ("06", [(1, 12, 1)]),
    "Grey": ("07", [(1, 12, 7), (2, 12, 3)]),
    "Dark Grey": ("08", [(4, 12, 8), (2, 12, 1), (4, 5, 1)]),
    "Black": ("09", [(4, 5, 1)]),
    "White": ("10", [(3, 9, 1)]),
    "Off White": ("11", [(1, 9, 1)]),
    "Light Beige": ("12", [(1, 11, 4), (1, 9, 1)]),
    "Beige": ("13", [(2, 11, 3), (1, 1, 1)]),
    "Dark Beige": ("14", [(4, 11, 2), (2, 13, 1)]),
    "Greyish Beige": ("15", [(4, 1, 1)]),
    "Yellowish Brown": ("17", [(2, 13, 2), (4, 13, 1)]),
    "Greenish Khaki": ("19", [(4, 20, 1), (2, 20, 1)]),
    "Other Yellow": ("20", [(5, 8, 1)]),
    "Light Yellow": ("21", [(3, 8, 1)]),
    "Yellow": ("22", [(7, 8, 3), (5, 8, 1)]),
    "Dark Yellow": ("23", [(4, 8, 1)]),
    "Light Orange": ("31", [(1, 3, 1)]),
    "Orange": ("32", [(5, 3, 1), (7, 3, 1)]),
    "Dark Orange": ("33", [(2, 13, 1), (4, 3, 1)]),
    "Light Red": ("41", [(7, 18, 1)]),
    "Red": ("42", [(7, 18, 1), (5, 18, 1)]),
    "Dark Red": ("43", [(4, 18, 1)]),
    "Other Pink": ("50", [(5, 4, 1)]),
    "Light Pink": ("51", [(1, 4, 3), (3, 4, 1)]),
    "Pink": ("52", [(2, 4, 1), (7, 4, 1)]),
    "Dark Pink": ("53", [(4, 4, 1), (5, 4, 1)]),
    "Light Purple": ("61", [(3, 6, 2), (1, 6, 1)]),
    "Purple": ("62", [(2, 6, 1)]),
    "Dark Purple": ("63", [(4, 6, 1)]),
    "Light Blue": ("71", [(1, 2, 3), (3, 2, 2)]),
    "Blue": ("72", [(2, 2, 3), (7, 2, 1)]),
    "Dark Blue": ("73", [(4, 2, 1)]),
    "Light Turquoise": ("81", [(3, 7, 1), (1, 7, 1)]),
    "Turquoise": ("82", [(1, 7, 2), (5, 7, 1)]),
    "Dark Turquoise": ("83", [(4, 7, 1)]),
    "Light Green": ("91", [(3, 19, 1), (1, 19, 1)]),
    "Green": ("92", [(1, 19, 1), (5, 19, 1)]),
    "Dark Green": ("93", [(4, 19, 1)]),
}

# key -> (index_code, section_no, section_name, department_no, department_name,
#         garment_group_no, garment_group_name)
_DEPT_TABLE = """
A_dress|A|15|Womens Everyday Collection|1322|Dress|1013|Dresses Ladies
A_tailor_dress|A|11|Womens Tailoring|1313|Dress|1013|Dresses Ladies
A_casual_dress|A|6|Womens Casual|1310|Dress|1013|Dresses Ladies
A_occ_woven|A|14|Womens Premium|1926|Woven Occasion|1013|Dresses Ladies
A_occ_jersey|A|14|Womens Premium|1686|Jersey Occasion|1013|Dresses Ladies
A_woven_prem|A|14|Womens Premium|1912|Woven Premium|1001|Unknown
A_knit_prem|A|14|Womens Premium|1612|Jersey/Knitwear Premium|1003|Knitwear
A_trend_bd|A|18|Womens Trend|1941|Blouse & Dress|1010|Blouses
A_skirt|A|15|Womens Everyday Collection|1422|Skirt|1012|Skirts
A_tailor_skirt|A|11|Womens Tailoring|1414|Skirt|1012|Skirts
A_trouser|A|15|Womens Everyday Collection|1722|Trouser|1009|Trousers
A_tailor_trouser|A|11|Womens Tailoring|1717|Trouser|1009|Trousers
A_casual_trouser|A|6|Womens Casual|1710|Trouser|1009|Trousers
A_shorts|A|15|Womens Everyday Collection|1723|Shorts|1025|Shorts
A_casual_shorts|A|6|Womens Casual|1410|Shorts & Skirts|1025|Shorts
A_denim|A|57|Ladies Denim|1779|Everyday Waredrobe Denim|1016|Trousers Denim
A_blouse|A|15|Womens Everyday Collection|1522|Blouse|1010|Blouses
A_tailor_blouse|A|11|Womens Tailoring|1515|Blouse|1010|Blouses
A_casual_blouse|A|6|Womens Casual|1510|Blouse|1010|Blouses
A_knit|A|15|Womens Everyday Collection|1626|Knitwear|1003|Knitwear
A_casual_knit|A|6|Womens Casual|1610|Knitwear|1003|Knitwear
A_knit_basic|A|16|Womens Everyday Basics|1646|Knitwear Basic|1003|Knitwear
A_jersey_fancy|A|15|Womens Everyday Collection|1636|Jersey fancy|1005|Jersey Fancy
A_tailor_jersey|A|11|Womens Tailoring|1666|Jersey|1005|Jersey Fancy
A_casual_jersey|A|6|Womens Casual|1660|Jersey|1005|Jersey Fancy
A_jersey_basic|A|16|Womens Everyday Basics|1676|Jersey Basic|1002|Jersey Basic
A_outwear|A|19|Womens Jackets|1201|Outwear|1007|Outdoor
A_suit|A|11|Womens Tailoring|1212|Suit|1008|Dressed
A_suit_jacket|A|15|Womens Everyday Collection|1222|Suit jacket|1008|Dressed
A_lounge|A|62|Womens Nightwear, Socks & Tigh|3708|Loungewear|1017|Under-, Nightwear
B_swim|B|60|Womens Swimwear, beachwear|4242|Swimwear|1018|Swimwear
B_ling_exp|B|61|Womens Lingerie|1338|Expressive Lingerie|1017|Under-, Nightwear
B_ling_cas|B|61|Womens Lingerie|1334|Casual Lingerie|1017|Under-, Nightwear
B_tights|B|62|Womens Nightwear, Socks & Tigh|3608|Tights basic|1021|Socks and Tights
B_socks|B|62|Womens Nightwear, Socks & Tigh|3610|Socks|1021|Socks and Tights
B_night|B|62|Womens Nightwear, Socks & Tigh|3709|Nightwear|1017|Under-, Nightwear
C_flats|C|64|Womens Shoes|3527|Flats|1020|Shoes
C_heels|C|64|Womens Shoes|3528|Heels|1020|Shoes
C_boots|C|64|Womens Shoes|3529|Boots|1020|Shoes
C_sneakers|C|64|Womens Shoes|3828|Sneakers|1020|Shoes
C_shoes_prem|C|64|Womens Shoes|3040|Premium Quality|1020|Shoes
C_bags|C|65|Womens Big accessories|3209|Bags|1019|Accessories
C_scarves|C|65|Womens Big accessories|3409|Scarves|1019|Accessories
C_belts|C|65|Womens Big accessories|3509|Belts|1019|Accessories
C_hats|C|65|Womens Big accessories|3519|Gloves/Hats|1019|Accessories
C_hair|C|66|Womens Small accessories|4343|Hair Accessories|1019|Accessories
C_jewel|C|66|Womens Small accessories|4344|Jewellery|1019|Accessories
C_sunglasses|C|66|Womens Small accessories|8888|Sunglasses|1019|Accessories
D_dresses|D|53|Divided Collection|1344|Dresses|1013|Dresses Ladies
D_proj_dresses|D|50|Divided Projects|1343|Projects Dresses|1013|Dresses Ladies
D_skirts|D|53|Divided Collection|1444|Skirts|1012|Skirts
D_tops_woven|D|53|Divided Collection|1543|Tops Woven|1010|Blouses
D_tops_jersey|D|53|Divided Collection|1640|Tops Fancy Jersey|1005|Jersey Fancy
D_tops_knit|D|53|Divided Collection|1647|Tops Knitwear|1003|Knitwear
D_basic|D|51|Divided Basics|1643|Basic 1|1002|Jersey Basic
D_shorts|D|53|Divided Collection|1745|Shorts|1025|Shorts
D_trousers|D|53|Divided Collection|1747|Trousers|1009|Trousers
D_denim|D|57|Ladies Denim|1772|Denim Trousers|1016|Trousers Denim
D_denim_other|D|57|Ladies Denim|1773|Denim Other Garments|1016|Trousers Denim
D_outdoor|D|53|Divided Collection|1244|Outdoor/Blazers|1007|Outdoor
D_shoes|D|52|Divided Accessories|3929|Divided Shoes|1020|Shoes
D_bags|D|52|Divided Accessories|3944|Bags|1019|Accessories
D_knit_acc|D|52|Divided Accessories|3945|Knit & Woven|1019|Accessories
D_uw|D|51|Divided Basics|3937|UW|1017|Under-, Nightwear
D_swim|D|51|Divided Basics|1645|Divided Swimwear|1018|Swimwear
F_smart_trouser|F|20|Contemporary Smart|5686|Trouser|1009|Trousers
F_smart_shirt|F|20|Contemporary Smart|5777|Shirt|1011|Shirts
F_smart_jersey|F|20|Contemporary Smart|5828|Jersey Fancy|1005|Jersey Fancy
F_smart_knit|F|20|Contemporary Smart|5878|Knitwear|1003|Knitwear
F_smart_shorts|F|20|Contemporary Smart|5687|Shorts|1025|Shorts
F_casual_trouser|F|21|Contemporary Casual|5656|Trouser|1009|Trousers
F_casual_shirt|F|21|Contemporary Casual|5767|Shirt|1011|Shirts
F_casual_jersey|F|21|Contemporary Casual|5848|Jersey Fancy|1005|Jersey Fancy
F_casual_knit|F|21|Contemporary Casual|5858|Knitwear|1003|Knitwear
F_casual_shorts|F|21|Contemporary Casual|5658|Shorts|1025|Shorts
F_suit_blazer|F|23|Men Suits & Tailoring|5131|Blazer|1008|Dressed
F_suit_blazer2|F|23|Men Suits & Tailoring|8615|Blazer S&T|1008|Dressed
F_suit_trouser|F|23|Men Suits & Tailoring|5631|Trouser|1009|Trousers
F_suit_trouser2|F|23|Men Suits & Tailoring|8616|Trouser S&T|1009|Trousers
F_suit_shirt|F|23|Men Suits & Tailoring|5731|Shirt|1011|Shirts
F_suit_knit|F|23|Men Suits & Tailoring|5831|Knitwear|1003|Knitwear
F_acc|F|25|Men Accessories|9985|Accessories|1019|Accessories
F_small_acc|F|25|Men Accessories|9986|Small Accessories|1019|Accessories
F_bags|F|25|Men Accessories|7388|Bags & Items|1019|Accessories
F_belts|F|25|Men Accessories|7389|Belts|1019|Accessories
F_light_jersey|F|26|Men Underwear|5832|Light Basic Jersey|1002|Jersey Basic
F_heavy_jersey|F|26|Men Underwear|5833|Heavy Basic Jersey|1002|Jersey Basic
F_socks|F|26|Men Underwear|5999|Socks Wall|1021|Socks and Tights
F_uw|F|26|Men Underwear|7988|Underwear Jersey|1017|Under-, Nightwear
F_swim|F|26|Men Underwear|9984|Swimwear|1018|Swimwear
F_lounge|F|26|Men Underwear|9989|Loungewear|1017|Under-, Nightwear
F_shoes|F|27|Men Shoes|3629|Shoes|1020|Shoes
F_jacket|F|31|Mens Outerwear|5231|Jacket|1007|Outdoor
F_jacket_casual|F|31|Mens Outerwear|5252|Jacket Casual|1007|Outdoor
F_jacket_smart|F|31|Mens Outerwear|5262|Jacket Smart|1007|Outdoor
F_jacket_street|F|31|Mens Outerwear|5283|Jacket Street|1007|Outdoor
F_street_jersey|F|55|Contemporary Street|5882|Jersey Fancy|1005|Jersey Fancy
F_street_trouser|F|55|Contemporary Street|5683|Trouser|1009|Trousers
F_denim|F|56|Denim Men|5672|Denim trousers|1016|Trousers Denim
F_denim_shorts|F|56|Denim Men|5673|Denim shorts|1025|Shorts
G_girl_jersey|G|40|Baby Girl|6525|Baby Girl Jersey Fancy|1005|Jersey Fancy
G_girl_knit|G|40|Baby Girl|6526|Baby Girl Knitwear|1003|Knitwear
G_girl_woven|G|40|Baby Girl|6555|Baby Girl Woven|1006|Woven/Jersey/Knitted mix Baby
G_girl_outdoor|G|40|Baby Girl|6550|Baby Girl Outdoor|1007|Outdoor
G_boy_outdoor|G|41|Baby Boy|6512|Baby Boy Outdoor|1007|Outdoor
G_boy_jersey|G|41|Baby Boy|6545|Baby Boy Jersey Fancy|1005|Jersey Fancy
G_boy_knit|G|41|Baby Boy|6546|Baby Boy Knitwear|1003|Knitwear
G_boy_woven|G|41|Baby Boy|6565|Baby Boy Woven|1006|Woven/Jersey/Knitted mix Baby
G_shoes|G|42|Kids & Baby Shoes|6561|Baby Shoes|1020|Shoes
G_acc|G|44|Baby Essentials & Complements|2950|Baby Toys/Acc|1019|Accessories
G_basics|G|44|Baby Essentials & Complements|6515|Baby basics|1002|Jersey Basic
G_socks|G|44|Baby Essentials & Complements|6541|Baby Socks|1021|Socks and Tights
G_night|G|44|Baby Essentials & Complements|6563|Baby Nightwear|1017|Under-, Nightwear
G_newborn|G|44|Baby Essentials & Complements|6564|Newborn|1005|Jersey Fancy
H_girl_outdoor|H|45|Kids Outerwear|7812|Kids Girl Outdoor|1007|Outdoor
H_boy_outdoor|H|45|Kids Outerwear|7852|Kids Boy Outdoor|1007|Outdoor
H_boy_jersey|H|46|Kids Boy|7648|Kids Boy Jersey Fancy|1005|Jersey Fancy
H_boy_shorts|H|46|Kids Boy|7655|Kids Boy Shorts|1025|Shorts
H_boy_trouser|H|46|Kids Boy|7656|Kids Boy Trouser|1009|Trousers
H_boy_shirt|H|46|Kids Boy|7657|Kids Boy Shirt|1011|Shirts
H_boy_knit|H|46|Kids Boy|7658|Kids Boy Knitwear|1003|Knitwear
H_boy_denim|H|46|Kids Boy|7956|Kids Boy Denim|1016|Trousers Denim
H_boy_socks|H|72|Boys Underwear & Basics|4214|Kids Boy Socks|1021|Socks and Tights
H_boy_uwnw|H|72|Boys Underwear & Basics|4215|Kids Boy UW/NW|1017|Under-, Nightwear
H_boy_basic|H|72|Boys Underwear & Basics|7668|Kids Boy Jersey Basic|1002|Jersey Basic
H_girl_dresses|H|76|Kids Girl|7613|Kids Girl Dresses|1014|Dresses/Skirts girls
H_girl_jersey|H|76|Kids Girl|7616|Kids Girl Jersey Fancy|1005|Jersey Fancy
H_girl_trouser|H|76|Kids Girl|7617|Kids Girl Trouser|1009|Trousers
H_girl_knit|H|76|Kids Girl|7618|Kids Girl Knitwear|1003|Knitwear
H_girl_denim|H|76|Kids Girl|7917|Kids Girl Denim|1016|Trousers Denim
H_girl_basic|H|79|Girls Underwear & Basics|7920|Kids Girl Jersey Basic|1002|Jersey Basic
H_girl_st|H|79|Girls Underwear & Basics|7921|Kids Girl S&T|1021|Socks and Tights
H_girl_uwnw|H|79|Girls Underwear & Basics|7922|Kids Girl UW/NW|1017|Under-, Nightwear
I_girl_outdoor|I|45|Kids Outerwear|8812|Young Girl Outdoor|1007|Outdoor
I_boy_outdoor|I|45|Kids Outerwear|8852|Young Boy Outdoor|1007|Outdoor
I_boy_jersey|I|47|Young Boy|8748|Young Boy Jersey Fancy|1005|Jersey Fancy
I_boy_shorts|I|47|Young Boy|8755|Young Boy Shorts|1025|Shorts
I_boy_trouser|I|47|Young Boy|8756|Young Boy Trouser|1009|Trousers
I_boy_shirt|I|47|Young Boy|8757|Young Boy Shirt|1011|Shirts
I_boy_knit|I|47|Young Boy|8758|Young Boy Knitwear|1003|Knitwear
I_boy_denim|I|47|Young Boy|8956|Young Boy Denim|1016|Trousers Denim
I_boy_uwnw|I|72|Boys Underwear & Basics|4225|Young Boy UW/NW|1017|Under-, Nightwear
I_boy_basic|I|72|Boys Underwear & Basics|8768|Young Boy Jersey Basic|1002|Jersey Basic
I_girl_dresses|I|77|Young Girl|8713|Young Girl Dresses|1014|Dresses/Skirts girls
I_girl_jersey|I|77|Young Girl|8716|Young Girl Jersey Fancy|1005|Jersey Fancy
I_girl_trouser|I|77|Young Girl|8717|Young Girl Trouser|1009|Trousers
I_girl_knit|I|77|Young Girl|8718|Young Girl Knitwear|1003|Knitwear
I_girl_denim|I|77|Young Girl|8917|Young Girl Denim|1016|Trousers Denim
I_girl_basic|I|79|Girls Underwear & Basics|7930|Young Girl Jersey Basic|1002|Jersey Basic
I_girl_st|I|79|Girls Underwear & Basics|7931|Young Girl S&T|1021|Socks and Tights
I_girl_uwnw|I|79|Girls Underwear & Basics|7932|Young Girl UW/NW|1017|Under-, Nightwear
J_kboy_shoes|J|42|Kids & Baby Shoes|4211|Kids Boy Shoes|1020|Shoes
J_yboy_shoes|J|42|Kids & Baby Shoes|4221|Young Boy Shoes|1020|Shoes
J_kgirl_shoes|J|42|Kids & Baby Shoes|4311|Kids Girl Shoes|1020|Shoes
J_ygirl_shoes|J|42|Kids & Baby Shoes|4321|Young Girl Shoes|1020|Shoes
J_kboy_swim|J|43|Kids Accessories, Swimwear & D|4210|Kids Boy Swimwear|1018|Swimwear
J_kgirl_swim|J|43|Kids Accessories, Swimwear & D|4310|Kids Girl Swimwear|1018|Swimwear
J_ygirl_swim|J|43|Kids Accessories, Swimwear & D|4320|Young Girl Swimwear|1018|Swimwear
J_girl_smallacc|J|43|Kids Accessories, Swimwear & D|4313|Girls Small Acc/Bags|1019|Accessories
J_kboy_bigacc|J|45|Kids Outerwear|4212|Kids Boy Big Acc|1019|Accessories
J_kgirl_bigacc|J|45|Kids Outerwear|4312|Kids Girl Big Acc|1019|Accessories
S_l_bottoms|S|5|Ladies H&M Sport|8310|Ladies Sport Bottoms|1005|Jersey Fancy
S_l_bras|S|5|Ladies H&M Sport|8316|Ladies Sport Bras|1005|Jersey Fancy
S_l_acc|S|5|Ladies H&M Sport|8396|Ladies Sport Acc|1019|Accessories
S_l_woven|S|5|Ladies H&M Sport|8397|Ladies Sport Woven|1001|Unknown
S_m_bottoms|S|22|Men H&M Sport|8394|Men Sport Bottoms|1005|Jersey Fancy
S_m_tops|S|22|Men H&M Sport|8558|Men Sport Tops|1007|Outdoor
S_m_woven|S|22|Men H&M Sport|8559|Men Sport Woven|1005|Jersey Fancy
S_m_acc|S|22|Men H&M Sport|8560|Men Sport Acc|1019|Accessories
S_k_tops_g|S|49|Kids Sports|6280|Tops Girls|1001|Unknown
S_k_bottoms_g|S|49|Kids Sports|6281|Bottoms Girls|1001|Unknown
S_k_tops_b|S|49|Kids Sports|6283|Tops Boys|1001|Unknown
S_k_bottoms_b|S|49|Kids Sports|8563|Bottoms Boys|1001|Unknown
"""


def _parse_depts(text):
    depts = {}
    for line in text.strip().splitlines():
        key, ic, sec_no, sec, dep_no, dep, gg_no, gg = line.split("|")
        depts[key] = (ic, int(sec_no), sec, int(dep_no), dep, int(gg_no), gg)
    return depts


DEPTS = _parse_depts(_DEPT_TABLE)

# ---------------------------------------------------------------------------
# Palettes (colour_group_name -> weight)
# ---------------------------------------------------------------------------


def _pal(spec):
    out = {}
    for part in spec.split(";"):
        name, weight = part.strip().rsplit(" ", 1)
        assert name in COLOURS, name
        out[name] = float(weight)
    return out


PALETTES = {
    "BASIC": _pal("Black 10; White 8; Dark Blue 5; Grey 4; Light Grey 3; Off White 3;"
                  " Light Beige 3; Beige 2; Dark Grey 2; Greenish Khaki 1; Light Pink 1"),
    "WOMEN": _pal("Black 8; White 4; Off White 3; Light Beige 3; Beige 2; Light Pink 3;"
                  " Pink 1; Red 2; Dark Red 2; Dark Blue 3; Light Blue 2; Greenish Khaki 2;"
                  " Dark Green 1; Yellow 1; Light Purple 1; Light Orange 1; Light Turquoise 1"),
    "DRESS": _pal("Red 7; Dark Red 3; Black 7; White 4; Off White 2; Light Pink 3; Pink 2;"
                  " Dark Pink 1; Light Blue 2; Dark Blue 2; Yellow 2; Light Yellow 1;"
                  " Dark Green 2; Green 1; Light Purple 1; Orange 1; Turquoise 1; Beige 1;"
                  " Light Beige 1"),
    "PARTY": _pal("Black 6; Red 5; Dark Red 3; Gold 3; Silver 3; Dark Green 2; Dark Blue 2;"
                  " Pink 2; Light Pink 1; Dark Purple 1; White 1"),
    "SUMMER": _pal("White 5; Off White 3; Light Yellow 2; Yellow 2; Light Blue 3;"
                   " Light Pink 3; Red 3; Turquoise 2; Light Turquoise 2; Light Orange 2;"
                   " Orange 1; Light Green 2; Green 1; Light Beige 2; Blue 1"),
    "DENIM": _pal("Blue 5; Light Blue 4; Dark Blue 5; Black 3; Grey 1; White 1; Dark Grey 1"),
    "MEN": _pal("Black 8; White 5; Dark Blue 7; Grey 3; Dark Grey 3; Light Grey 2; Beige 3;"
                " Light Beige 2; Greenish Khaki 3; Dark Green 2; Light Blue 2; Blue 1;"
                " Dark Red 1; Yellowish Brown 1; Off White 2; Red 1; Orange 1; Yellow 1"),
    "KNIT": _pal("Off White 3; Light Beige 3; Beige 2; Grey 3; Black 3; Dark Blue 2;"
                 " Dark Red 2; Dark Green 2; Light Pink 2; Yellowish Brown 1;"
                 " Greenish Khaki 1; Light Blue 1; Dark Orange 1; Light Grey 2;"
                 " Light Purple 1; Red 1"),
    "KNIT_GREY": _pal("Grey 6; Light Grey 4; Dark Grey 3; Beige 2; Off White 2; Black 2;"
                      " Dark Blue 1; Light Beige 1; Greyish Beige 1"),
    "OUTDOOR": _pal("Black 6; Dark Blue 4; Greenish Khaki 3; Dark Green 2; Beige 2;"
                    " Light Beige 1; Yellow 1; Red 1; Orange 1; Dark Grey 2; Light Blue 1;"
                    " Light Pink 1; Off White 1; Yellowish Brown 1; Silver 1"),
    "RAIN": _pal("Yellow 8; Dark Yellow 2; Dark Blue 3; Black 3; Greenish Khaki 2; Red 2;"
                 " Light Pink 1; Orange 1; Turquoise 1"),
    "SHOES": _pal("Black 8; White 5; Yellowish Brown 3; Dark Beige 2; Beige 2;"
                  " Light Beige 2; Dark Grey 1; Dark Blue 1; Silver 1; Gold 1; Red 1;"
                  " Light Pink 1; Greenish Khaki 1"),
    "SUEDE": _pal("Yellowish Brown 6; Dark Beige 4; Beige 2; Black 3; Greenish Khaki 1;"
                  " Dark Grey 1; Dark Orange 2; Greyish Beige 1"),
    "KIDS": _pal("Light Pink 4; Pink 2; Dark Pink 1; White 4; Light Blue 3; Blue 2;"
                 " Dark Blue 4; Grey 3; Light Grey 2; Red 2; Yellow 2; Light Yellow 1;"
                 " Green 1; Light Green 1; Dark Green 1; Turquoise 1; Light Turquoise 1;"
                 " Orange 1; Light Purple 2; Black 2; Off White 2; Beige 1; Greenish Khaki 1"),
    "BABY": _pal("White 5; Off White 3; Light Pink 4; Light Blue 3; Light Grey 3; Grey 2;"
                 " Light Beige 3; Light Yellow 2; Light Green 2; Dark Blue 2;"
                 " Light Turquoise 1; Beige 1; Light Purple 1; Red 1; Yellowish Brown 1"),
    "SPORT": _pal("Black 10; Dark Grey 3; Grey 2; Dark Blue 3; Light Pink 2; Pink 2;"
                  " Turquoise 2; Light Turquoise 1; Dark Green 2; Light Purple 2; Orange 1;"
                  " Other Pink 1; Yellow 1; Other Yellow 1; Red 1; White 2; Light Blue 1;"
                  " Dark Purple 1; Purple 1"),
    "LINGERIE": _pal("Black 8; White 4; Light Beige 4; Light Pink 3; Dark Red 2; Red 1;"
                     " Dark Blue 1; Off White 2; Light Purple 1; Dark Green 1; Beige 2"),
    "SWIM": _pal("Black 6; Red 3; Dark Blue 3; White 2; Light Pink 2; Pink 2; Other Pink 1;"
                 " Turquoise 2; Light Turquoise 2; Yellow 2; Orange 2; Light Orange 1;"
                 " Green 1; Dark Green 1; Light Blue 2; Blue 1; Gold 1; Dark Purple 1"),
    "METAL": _pal("Gold 6; Silver 5; Bronze/Copper 1; Black 1; White 1; Transparent 1; Other 1"),
    "ACC": _pal("Black 6; Beige 3; Light Beige 2; Dark Beige 1; Yellowish Brown 2;"
                " Off White 2; Grey 2; Dark Grey 1; Dark Blue 2; Dark Red 1; Red 1;"
                " Light Pink 1; Greenish Khaki 1; White 1; Dark Green 1; Greyish Beige 1"),
    "SUIT": _pal("Black 6; Dark Blue 5; Dark Grey 4; Grey 2; Beige 2; Light Beige 1;"
                 " Dark Beige 1; Greyish Beige 1; Dark Green 1; Dark Red 1; Light Blue 1;"
                 " Yellowish Brown 1; Light Pink 1; White 1; Red 1"),
    "JOGGER_GREY": _pal("Grey 5; Dark Grey 3; Light Grey 2; Black 3; Dark Blue 3;"
                        " Greenish Khaki 1; Blue 1; Beige 1"),
    "TIGHTS": _pal("Black 8; Light Beige 3; Beige 1; Dark Blue 1; Dark Grey 1; Dark Red 1;"
                   " Yellowish Brown 1; Off White 1"),
}

# ---------------------------------------------------------------------------
# Shared word lists
# ---------------------------------------------------------------------------

# Invented style names used as the first word of prod_name.
STYLE_WORDS = """
Abelle Acorna Adrine Alvik Amberlea Anouka Arlow Astera Baylis Belvane Birchley
Bravik Brisola Caddow Calvert Carrow Celvie Corlane Cressa Dallow Darvel Delmira
Dovrie Edlin Elvast Emberly Envira Faella Farlow Fenwick Florine Galloway Garnet
Gilda Hadley Halvard Harlen Hollis Ilva Imbria Isolde Jarrah Jessamy Junelle
Kellan Kestrel Kivi Larkspur Lavelle Linnet Lorna Lundy Mabry Maddox Marisol
Marlow Merribel Merrin Mirabel Nadira Navarre Nellie Norwood Oakley Odessa Orla
Orrin Paloma Pell Perrin Quillon Quince Radley Ravel Renwick Rivka Roslyn Rowan
Saffie Selwyn Sennet Solveig Stellan Sutton Tamsin Tarragon Tindrel Torvik Ulla
Umbrie Valda Vanora Velvia Verity Wexley Whitby Wilder Wrenna Yarrow Ysolde Zadie
Zephra Zinnora Tovelle Brannock Corvina Eskelund Fennimore Glenmar Hazeldine
""".split()

# A few deliberately non-ASCII style names (parser edge case).
NON_ASCII_WORDS = ["Café", "Naïve", "Søren", "Øyvind", "Renée", "Zoë", "Åsby", "Mañana"]

SLOGANS = [
    "Good Days Ahead", "Stay Curious", "Sunday Club", "Ocean Lover", "Weekend Mode",
    "Not a Morning Person", "Little Explorer", "Dream Big", "Mountain Air",
    "Keep Running", "Born to Roam", "Atelier Studio", "Slow Living", "Sunny Side",
    "Rainy Day Crew", "Wild & Free", "Café Society", "Bonjour Soleil", "Team Cosy",
]

# Pattern -> adjective inserted before the material (<pat>).
PAT_ADJ = {
    "Solid": [""], "Unknown": [""], "Denim": [""], "Front print": [""],
    "Placement print": [""], "Lace": [""], "Application/3D": [""], "Chambray": [""],
    "Stripe": ["striped ", "pinstriped ", "narrow-striped "],
    "All over pattern": ["patterned ", "floral-print ", "printed "],
    "Check": ["checked ", "gingham-checked "],
    "Dot": ["spotted ", "polka-dot "],
    "Melange": ["marled ", "melange "],
    "Jacquard": ["jacquard-weave "],
    "Embroidery": ["embroidered "],
    "Sequin": ["sequined "],
    "Glittering/Metallic": ["glittery "],
    "Metallic": ["metallic "],
    "Colour blocking": ["colour-block "],
    "Treatment": ["washed "],
    "Other structure": ["textured ", "crinkled "],
}
KNIT_PAT = {  # knitwear: the knit itself comes from <knitstyle>
    "Solid": [""],
    "Melange": ["marled ", "melange "],
    "Stripe": ["striped ", "block-striped "],
    "Jacquard": ["jacquard-knit "],
    "Other structure": ["textured "],
}
KNIT_STYLE = {"cable": "cable-knit ", "rib": "rib-knit ", "fine": "fine-knit ",
              "chunky": "chunky-knit ", "pointelle": "pointelle-knit ",
              "*": ["", "fine-knit ", "soft "]}

# Nouns whose last two words form the garment word used to open a description.
COMPOUND_HEADS = {"boxer shorts", "swim shorts", "bikini bottoms", "pyjama bottoms",
                  "dressing gown", "suit jacket", "suit trousers", "ballet pumps",
                  "court shoes", "derby shoes", "hair clips"}

# Pattern -> optional extra sentence appended to the description.
PAT_SENT = {
    "Lace": ["Lace trim [at the neckline|at the hem|along the edges]."],
    "Front print": ["Print motif on the front.",
                    'Text print on the front reading "<slogan>".',
                    'Printed design with the words "<slogan>" on the front.'],
    "Placement print": ["Printed design [on the front|on the chest|on the back]."],
    "Embroidery": ["Embroidered details [on the front|on the chest|around the collar]."],
    "Application/3D": ["Appliqué details on the front."],
    "Sequin": ["Sequin embellishments [all over|on the front]."],
}

NCOL_WEIGHTS = {1: 18, 2: 22, 3: 22, 4: 17, 5: 12, 6: 9}

# ---------------------------------------------------------------------------
# Product families
# ---------------------------------------------------------------------------

FAMILIES = []


def fam(ptype, depts, n, nouns, desc, palette, patterns="Solid 1", lead=(),
        extras=(), slots=None, knit=False, patsent=True, ncol=None):
    assert ptype in PRODUCT_TYPES, ptype
    for d in depts:
        assert d in DEPTS, d
    pats = {}
    for part in patterns.split(";"):
        name, w = part.strip().rsplit(" ", 1)
        assert name in GRAPHICS, name
        pats[name] = float(w)
    FAMILIES.append(dict(ptype=ptype, depts=list(depts), n=n, nouns=list(nouns),
                         desc=list(desc), palette=PALETTES[palette], patterns=pats,
                         lead=list(lead), extras=list(extras), slots=slots or {},
                         knit=knit, patsent=patsent, ncol=ncol or NCOL_WEIGHTS))


LINING = ["Lined.", "Unlined.", "Partly lined."]

# Slot values may be a list (random choice), a string, or a dict keyed by a
# lower-case word of the product noun ("*" = fallback) so that the description
# agrees with the name (a "linen shirt" is described in linen, and so on).

# --- Ladieswear: dresses ----------------------------------------------------
fam("Dress", ["A_dress", "A_dress", "A_casual_dress", "A_trend_bd", "D_dresses"], 13,
    ["maxi dress", "long dress", "tiered maxi dress", "tie-strap maxi dress"],
    ["[Long|Ankle-length|Flowing] dress in <pat><mat> with <top>, [short puff sleeves|"
     "short flutter sleeves|long balloon sleeves|no sleeves] and <skirt>.",
     "Maxi dress in <pat><mat>. [Fitted bodice with|Wrapover top with] <top2> and [a tie belt at the waist|a concealed zip at the back|smocking at the "
     "back]. <lining>"],
    "DRESS", "Solid 5; All over pattern 4; Stripe 1; Dot 1; Embroidery 1",
    lead=[("Red", 0.35)],
    extras=["Made partly from recycled polyester.", "Perfect for summer weddings and "
            "long evenings outdoors.", "Side pockets."],
    slots={"mat": ["airy viscose", "woven cotton", "crinkled chiffon", "a linen blend",
                   "light cotton muslin", "crêpe", "lyocell"],
           "top2": {"tie-strap": "narrow tie-top shoulder straps",
                    "*": ["a V-neck", "a deep V-neck"]},
           "top": {"tie-strap": "narrow tie-top shoulder straps",
                   "*": ["a V-neck", "a square neckline", "a round neckline",
                         "a smocked bodice"]},
           "skirt": {"tiered": "a tiered skirt",
                     "*": ["a flared skirt", "a wide, flounced hem",
                           "a slit at one side"]}})

fam("Dress", ["A_dress", "A_dress", "A_tailor_dress", "A_casual_dress", "D_dresses"], 10,
    ["wrap dress", "wrapover dress", "jersey wrap dress", "midi wrap dress"],
    ["<Length> wrap dress in <pat><mat> with a V-neck, [short sleeves|3/4-length sleeves|"
     "long sleeves with buttoned cuffs] and a [tie belt|concealed press-stud and tie] at "
     "the waist.",
     'Wrapover dress in <pat><mat> with a "faux-wrap" front, [a V-neck|a draped V-neck], '
     "[short butterfly sleeves|long sleeves] and a [flared|gently flared] skirt. "
     "[Unlined.|Jersey lining.]"],
    "DRESS", "Solid 6; All over pattern 3; Dot 2",
    lead=[("Red", 0.45)], extras=["Soft, draping fabric.", "Tie at one side."],
    slots={"mat": {"jersey": "soft jersey",
                   "*": ["soft jersey", "woven viscose", "satin", "crêpe",
                         "cotton poplin"]},
           "Length": {"midi": "Calf-length", "*": ["Knee-length", "Calf-length", "Short"]}})

fam("Dress", ["A_dress", "A_occ_woven", "A_trend_bd", "D_dresses", "D_proj_dresses"], 8,
    ["satin slip dress", "slip dress", "satin midi dress", "bias-cut satin dress"],
    ["[Calf-length|Midi|Short|Ankle-length] slip dress in [soft, |lustrous |draping |]"
     "satin with [narrow, adjustable shoulder straps|thin crossover straps at the back|a "
     "cowl neckline] and a [bias-cut skirt|slit at the side|straight cut]. <lining>",
     "Dress in satin with a [V-neck|cowl neckline|straight neckline] and [narrow "
     "shoulder straps|adjustable spaghetti straps]. [Open back.|Concealed zip in one "
     "side.|Bias cut for a soft drape.] <lining>"],
    "DRESS", "Solid 8; Lace 1", lead=[("Red", 0.35)],
    extras=["Ideal for weddings and parties."], slots={"lining": LINING})

fam("Dress", ["A_occ_woven", "A_occ_jersey", "A_tailor_dress"], 8,
    ["occasion dress", "pleated chiffon dress", "wedding guest dress", "one-shoulder dress",
     "lace dress", "draped dress"],
    ["Dress in <pat><mat> with <neck>, [a gathered waist|a tie at the waist|a concealed "
     "zip at the back] and a [pleated skirt|floor-length skirt|flared skirt]. Lined.",
     "Dress in <pat><mat>. [Fitted|Draped|Wrapover] bodice with <neck>, and a "
     "[calf-length|floor-length|knee-length] skirt with [a slit at the front|a flounce at "
     "the hem|soft pleats]. Lined."],
    "DRESS", "Solid 5; Lace 2; Sequin 1; Glittering/Metallic 1; All over pattern 1",
    lead=[("Red", 0.3)],
    extras=["Perfect for weddings, summer parties and garden parties.",
            "Made partly from recycled polyester."],
    slots={"mat": {"chiffon": "pleated chiffon", "lace": "lace",
                   "*": ["chiffon", "crêpe", "georgette", "satin", "tulle"]},
           "neck": {"one-shoulder": "a one-shoulder neckline",
                    "*": ["a draped neckline", "a sweetheart neckline", "a V-neck",
                          "flutter sleeves", "narrow shoulder straps"]}})

fam("Dress", ["A_dress", "A_casual_dress", "A_trend_bd", "D_dresses"], 8,
    ["linen dress", "summer dress", "linen-blend dress", "smock dress", "sundress"],
    ['Dress in "airy" linen[, with a tie belt| with a tie belt at the waist and side '
     "pockets]. [V-neck and short sleeves.|Square neckline and wide shoulder straps.]",
     "[Short|Knee-length|Calf-length] dress in <pat><mat> with [a square neckline|a V-neck|"
     "a round neckline], [short puff sleeves|narrow shoulder straps|flutter sleeves] and a "
     "[smocked back|tie belt|flared skirt].",
     "Dress in <pat><mat>, with [a smocked bodice|buttons down the front|a drawstring "
     "waist], [frilled shoulder straps|short sleeves] and a [tiered|gathered] skirt. "
     "Unlined."],
    "SUMMER", "Solid 5; Stripe 2; Check 1; Embroidery 1; All over pattern 2",
    lead=[("Red", 0.25)], extras=["Relaxed fit.", "Airy and light for warm days."],
    slots={"mat": {"linen": ["a linen blend", "washed linen"],
                   "*": ["woven cotton", "cotton seersucker", "broderie anglaise",
                         "light cotton muslin", "a linen blend"]}})

fam("Dress", ["A_dress", "A_casual_dress", "A_tailor_dress", "D_dresses"], 5,
    ["shirt dress", "shirt-style dress", "belted shirt dress"],
    ["[Calf-length|Knee-length] shirt dress in <pat><mat> with a collar, buttons down the "
     "front, [long sleeves with buttoned cuffs|short sleeves|roll-up sleeves] and <belt>. "
     "[Slightly longer at the back.|Yoke at the back.|]"],
    "WOMEN", "Solid 4; Stripe 2; Check 1",
    slots={"mat": ["cotton poplin", "lyocell", "a linen blend", "viscose twill"],
           "belt": {"belted": "a detachable tie belt",
                    "*": ["a detachable tie belt", "a drawstring at the waist"]}})

fam("Dress", ["A_jersey_fancy", "A_casual_dress", "A_jersey_basic", "D_dresses", "D_basic"], 9,
    ["midi dress", "bodycon dress", "ribbed dress", "jersey dress", "T-shirt dress",
     "knot-front dress"],
    ["<Shape> dress in <pat><mat> with [a round neckline|a square neckline|a high neck|a "
     "V-neck] and [long sleeves|short sleeves|cap sleeves|narrow shoulder straps].",
     "Dress in <pat><mat> with [a slit at the side|a gathered seam at one side|a "
     "straight-cut hem] and [dropped shoulders|short sleeves|long, narrow sleeves]."],
    "DRESS", "Solid 6; Stripe 2; Melange 1", lead=[("Red", 0.3)],
    slots={"mat": {"ribbed": "ribbed jersey", "t-shirt": "soft cotton jersey",
                   "*": ["stretch jersey", "soft cotton jersey", "modal-blend jersey",
                         "ribbed jersey"]},
           "Shape": {"bodycon": "Fitted, short", "midi": "Calf-length",
                     "t-shirt": "Straight-cut, knee-length",
                     "*": ["Fitted", "Straight-cut", "Knee-length"]}})

fam("Dress", ["A_knit", "D_dresses"], 4,
    ["knitted dress", "sweater dress", "rib-knit dress"],
    ["[Fitted|Relaxed] dress in a <pat><knitstyle>[wool blend|cotton blend|soft viscose "
     "blend] with [a turtle neck|a round neckline|a V-neck], long sleeves and ribbing at "
     "the cuffs and hem."],
    "KNIT", "Solid 4; Melange 1; Other structure 1", knit=True)

fam("Dress", ["D_proj_dresses", "D_dresses", "A_occ_jersey"], 6,
    ["sequined dress", "party dress", "velvet mini dress", "glittery mini dress"],
    ["Short [|A-line |fitted ]dress in <pat><mat> with [narrow shoulder straps|a V-neck "
     "and long sleeves|a square neckline|puff sleeves] and [an open back|a concealed zip "
     "at the back|a flounced hem]. Lined."],
    "PARTY", "Sequin 3; Glittering/Metallic 2; Solid 2",
    slots={"mat": {"velvet": "velvet", "sequin": "mesh", "glitter": "stretch jersey",
                   "*": ["mesh", "velvet", "stretch jersey", "tulle"]}})

fam("Dress", ["D_dresses", "D_dresses", "D_proj_dresses"], 12,
    ["mini dress", "skater dress", "cami dress", "puff-sleeved dress", "mesh dress",
     "tie-strap dress", "corset-style dress"],
    ["Short dress in <pat><mat> with [a sweetheart neckline|a square neckline|a V-neck], "
     "<straps> and a <skirt> skirt.",
     "Dress in <pat><mat> with [a lace-up back|smocking at the back|a concealed zip at "
     "the back], <straps> and a <skirt> skirt. <lining>"],
    "DRESS", "Solid 5; All over pattern 3; Dot 1; Check 1", lead=[("Red", 0.3)],
    slots={"mat": {"mesh": "stretch mesh",
                   "*": ["woven fabric", "stretch jersey", "crinkled chiffon", "satin",
                         "cotton poplin"]},
           "straps": {"puff": "short puff sleeves", "tie-strap": "narrow tie-top straps",
                      "cami": "narrow shoulder straps",
                      "*": ["narrow shoulder straps", "short puff sleeves",
                            "long, sheer sleeves"]},
           "skirt": {"skater": "flared", "*": ["flared", "fitted", "tiered"]},
           "lining": LINING})

# --- Ladieswear: skirts, trousers, jeans, shorts ---------------------------
fam("Skirt", ["A_skirt", "A_skirt", "A_tailor_skirt", "D_skirts"], 9,
    ["pleated skirt", "satin skirt", "midi skirt", "A-line skirt", "wrap skirt",
     "linen skirt"],
    ["<Length> skirt in <pat><mat> with [a high waist|an elasticated waist|a wide "
     "waistband] and <closure>. <lining>"],
    "WOMEN", "Solid 5; All over pattern 2; Check 1; Dot 1",
    slots={"mat": {"pleated": "pleated chiffon", "satin": "satin",
                   "linen": "a linen blend",
                   "*": ["woven viscose", "twill", "crêpe", "pleated chiffon"]},
           "Length": {"midi": "Calf-length", "*": ["Calf-length", "Knee-length", "Midi"]},
           "closure": {"wrap": "a wrapover front with a tie",
                       "*": ["a concealed zip in one side", "a tie belt",
                             "buttons down the front"]},
           "lining": LINING})

fam("Skirt", ["A_denim", "D_denim_other"], 4,
    ["denim skirt", "denim midi skirt", "denim mini skirt"],
    ["<Length> skirt in [washed|rigid cotton|stretch] denim with a [high|regular] waist, "
     "zip fly and button, [front and back pockets|a slit at the front|a raw-cut hem]."],
    "DENIM", "Denim 1",
    slots={"Length": {"midi": "Calf-length", "mini": "Short",
                      "*": ["Knee-length", "Short"]}})

fam("Skirt", ["A_skirt", "D_skirts", "D_skirts"], 6,
    ["mini skirt", "imitation leather skirt", "bouclé skirt", "corduroy skirt"],
    ["Short skirt in <pat><mat> with [a high waist|a regular waist] and [a concealed zip "
     "at the back|a zip in one side|pleats at the front]. <lining>"],
    "WOMEN", "Solid 5; Check 2",
    slots={"mat": {"imitation leather": "imitation leather", "bouclé": "bouclé",
                   "corduroy": "corduroy",
                   "*": ["twill", "imitation leather", "corduroy"]},
           "lining": LINING})

fam("Trousers", ["A_trouser", "A_trouser", "A_tailor_trouser", "A_casual_trouser",
                 "D_trousers"], 10,
    ["tailored trousers", "wide-leg trousers", "cigarette trousers", "flared trousers",
     "paper bag trousers", "pleated trousers"],
    ["[Ankle-length|Full-length] trousers in <pat><mat> with a [high|regular] waist, "
     "<waist>, [side pockets|diagonal side pockets and welt back pockets] and <leg>."],
    "WOMEN", "Solid 6; Check 1; Stripe 1; Melange 1",
    slots={"mat": ["woven twill", "stretch weave", "crêpe", "suiting fabric",
                   "a linen blend"],
           "waist": {"paper bag": "a gathered paper bag waist and a tie belt",
                     "pleated": "pressed pleats at the front",
                     "*": ["zip fly and a hook-and-eye fastener", "an elasticated back",
                           "pressed creases down the front"]}})

fam("Trousers", ["A_trouser", "A_casual_trouser"], 4,
    ["linen trousers", "pull-on linen trousers", "linen-blend trousers"],
    ["Trousers in [airy|washed|soft] linen with [an elasticated drawstring waist|a high "
     "waist and a tie belt], side pockets and [wide|straight|loose] legs."],
    "SUMMER", "Solid 4; Stripe 1")

fam("Trousers", ["A_jersey_basic", "A_casual_jersey", "D_basic"], 6,
    ["joggers", "sweatpants", "jersey joggers", "cargo joggers"],
    ["<Noun> in <pat><mat>. Drawstring and elastic at the waist, <pockets> and [ribbed "
     "cuffs|elastic at the hems|straight legs]."],
    "JOGGER_GREY", "Solid 5; Melange 3",
    slots={"mat": {"jersey": "cotton-blend jersey",
                   "*": ["soft sweatshirt fabric", "sweatshirt fabric with a brushed "
                         "inside", "fleece"]},
           "pockets": {"cargo": "side pockets and flap pockets on the legs",
                       "*": ["pockets in the side seams", "side pockets and a back "
                             "pocket"]}})

fam("Leggings/Tights", ["A_jersey_basic", "A_jersey_basic", "D_basic"], 3,
    ["leggings", "ribbed leggings", "flared leggings"],
    ["<Noun> made from <pat><mat>, with a [wide|soft] elastic waistband[ and a high "
     "rise|]."],
    "BASIC", "Solid 4; Melange 1",
    slots={"mat": {"ribbed": "ribbed jersey",
                   "*": ["soft jersey", "stretch cotton jersey"]}})

fam("Trousers", ["A_denim", "D_denim", "D_denim", "D_denim"], 13,
    ["skinny jeans", "mom jeans", "straight jeans", "wide high jeans", "flared jeans",
     "slim jeans", "baggy jeans", "barrel jeans", "bootcut jeans"],
    ["Five-pocket jeans made from [washed|stretch|rigid cotton|thick, soft|organic "
     "cotton] denim. <Rise> rise, zip fly with a button and <leg>. [Raw-cut hems.|Cropped "
     "at the ankle.|Worn-look details.|]",
     "<Noun> in [washed|stretch|rigid] denim. <Rise> waist, zip fly, [front and back "
     "pockets|a coin pocket] and <leg>."],
    "DENIM", "Denim 1",
    slots={"Rise": {"high": "High", "mom": "High", "*": ["High", "Regular", "Super-high"]}})

fam("Shorts", ["D_denim_other", "D_denim_other", "A_casual_shorts"], 4,
    ["denim shorts", "high-waisted denim shorts", "denim bermuda shorts"],
    ["Five-pocket shorts made from [washed|soft, stretch|rigid cotton] denim. <Rise> "
     "rise, zip fly and [raw-cut hems|turned-up hems|worn-look details]."],
    "DENIM", "Denim 1",
    slots={"Rise": {"high": "High", "*": ["High", "Regular"]}})

fam("Shorts", ["A_shorts", "A_casual_shorts", "D_shorts"], 6,
    ["linen shorts", "tailored shorts", "paper bag shorts", "pull-on shorts"],
    ["Shorts in <pat><mat> with <waist> and [side pockets|pleats at the front|turn-ups "
     "at the hems]."],
    "SUMMER", "Solid 5; Stripe 1; Check 1",
    slots={"mat": {"linen": "a linen blend", "*": ["cotton twill", "woven fabric",
                                                   "a linen blend"]},
           "waist": {"paper bag": "a high paper bag waist and a tie belt",
                     "pull-on": "an elasticated drawstring waist",
                     "tailored": "a zip fly and a concealed hook-and-eye fastener",
                     "*": ["an elasticated drawstring waist", "a high waist and a "
                           "tie belt"]}})

fam("Jumpsuit/Playsuit", ["A_trouser", "A_trouser", "D_dresses"], 4,
    ["jumpsuit", "linen jumpsuit", "playsuit", "utility jumpsuit"],
    ["<Noun> in <pat><mat> with <top>, a [tie belt|drawstring] at the waist and "
     "<legs>."],
    "WOMEN", "Solid 4; All over pattern 1",
    slots={"mat": {"linen": "a linen blend", "utility": "cotton twill",
                   "*": ["woven viscose", "cotton twill", "crêpe"]},
           "top": {"utility": "a collar and buttons down the front",
                   "*": ["a V-neck", "narrow shoulder straps", "a collar and buttons "
                         "down the front"]},
           "legs": {"playsuit": "short legs", "*": ["wide legs", "straight legs"]}})

# --- Ladieswear: tops -------------------------------------------------------
fam("T-shirt", ["A_jersey_basic", "A_jersey_basic", "A_casual_jersey", "A_jersey_fancy",
                "D_basic", "D_tops_jersey"], 13,
    ["T-shirt", "fitted T-shirt", "oversized T-shirt", "cropped T-shirt", "cotton T-shirt",
     "printed T-shirt", "2-pack T-shirts"],
    ["<Noun> in <pat><mat> with [a round neckline|a V-neck|a wide neckline] and [short "
     "sleeves|dropped shoulders|short cap sleeves]. <cut>"],
    "WOMEN", "Solid 6; Stripe 2; Front print 3; Melange 1",
    slots={"mat": ["soft cotton jersey", "organic cotton jersey", "slub jersey",
                   "modal-blend jersey", "heavyweight cotton jersey"],
           "cut": {"oversized": "Loose fit.", "cropped": "Cropped, boxy cut.",
                   "fitted": "Fitted.",
                   "*": ["Straight-cut hem.", "Slightly longer at the back.", ""]}})

fam("Vest top", ["A_jersey_basic", "A_jersey_basic", "A_blouse", "D_basic",
                 "D_tops_woven"], 9,
    ["vest top", "strappy top", "ribbed vest top", "cami top", "satin cami top",
     "racerback top"],
    ["Top in <pat><mat> with <straps>. [Straight-cut hem.|Fitted.|]"],
    "WOMEN", "Solid 6; Stripe 1; Lace 1",
    slots={"mat": {"satin": "satin", "ribbed": "ribbed jersey",
                   "*": ["ribbed jersey", "cotton jersey", "stretch lyocell"]},
           "straps": {"racerback": "a racer back",
                      "*": ["narrow, adjustable shoulder straps", "wide shoulder straps",
                            "a square neckline"]}})

fam("Top", ["A_jersey_fancy", "A_jersey_fancy", "A_tailor_jersey", "D_tops_jersey"], 8,
    ["long-sleeved top", "ribbed top", "off-the-shoulder top", "mesh top", "draped top",
     "polo-neck top"],
    ["Fitted top in <pat><mat> with <neck> and long sleeves.",
     "Top in <pat><mat> with <neck>, [gathered seams at the sides|a slit at the hem|"
     "thumbholes at the cuffs]."],
    "WOMEN", "Solid 5; Stripe 1; Dot 1",
    slots={"mat": {"mesh": "soft mesh", "ribbed": "ribbed jersey",
                   "draped": "draping jersey",
                   "*": ["ribbed jersey", "stretch jersey", "draping jersey"]},
           "neck": {"off-the-shoulder": "an off-the-shoulder neckline",
                    "polo-neck": "a polo neck", "draped": "a draped neckline",
                    "*": ["a round neckline", "a wide neckline", "a turtle neck"]}})

fam("Blouse", ["A_blouse", "A_blouse", "A_tailor_blouse", "A_casual_blouse", "A_trend_bd",
               "D_tops_woven"], 15,
    ["blouse", "satin blouse", "broderie anglaise blouse", "puff-sleeved blouse",
     "tie-neck blouse", "linen blouse", "peasant blouse", "frilled blouse"],
    ["Blouse in <pat><mat> with <neck>, [buttons down the front|a keyhole opening at the "
     "back] and <sleeves>.",
     "[Loose-fitting|Straight-cut|Cropped] blouse in <pat><mat> with <neck> and "
     "<sleeves>."],
    "WOMEN", "Solid 6; All over pattern 3; Dot 1; Stripe 1; Embroidery 1; Lace 1",
    slots={"mat": {"satin": "satin", "broderie": "broderie anglaise",
                   "linen": "a linen blend",
                   "*": ["cotton poplin", "woven viscose", "crinkled chiffon", "crêpe"]},
           "neck": {"tie-neck": "a tie at the neckline",
                    "frilled": "a frill-trimmed neckline",
                    "peasant": "smocking at the neckline",
                    "*": ["a V-neck", "a small collar", "a round neckline"]},
           "sleeves": {"puff": "long puff sleeves",
                       "*": ["long puff sleeves", "short sleeves",
                             "long sleeves with buttoned cuffs", "3/4-length sleeves",
                             "wide sleeves"]}})

fam("Shirt", ["A_blouse", "A_casual_blouse", "D_tops_woven"], 6,
    ["oxford shirt", "oversized shirt", "linen shirt", "poplin shirt"],
    ["Shirt in <pat><mat> with a collar, buttons down the front, [a chest pocket|a yoke "
     "at the back] and long sleeves with buttoned cuffs. <cut>"],
    "WOMEN", "Solid 4; Stripe 3; Check 1",
    slots={"mat": {"oxford": "Oxford cotton", "linen": "washed linen",
                   "poplin": "cotton poplin", "*": ["cotton poplin", "lyocell"]},
           "cut": {"oversized": "Oversized fit with dropped shoulders.",
                   "*": ["Rounded hem.", "Relaxed fit.", ""]}})

fam("Sweater", ["A_knit", "A_knit", "A_casual_knit", "A_knit_prem", "A_knit_basic",
                "D_tops_knit", "D_tops_knit"], 13,
    ["jumper", "fine-knit jumper", "cable-knit jumper", "rib-knit jumper",
     "cashmere jumper", "mohair-blend jumper", "oversized jumper", "turtleneck jumper"],
    ["Jumper in a <pat><knitstyle><mat> with <neck>, [dropped shoulders|long raglan "
     "sleeves|long sleeves] and ribbing at the [neckline, cuffs and hem|cuffs and hem].",
     "<Cut> jumper in a <pat><knitstyle><mat> with <neck>. [Ribbed trims.|Slightly longer "
     "at the back.|Side slits at the hem.]"],
    "KNIT", "Solid 5; Melange 2; Stripe 2; Jacquard 1; Other structure 2", knit=True,
    slots={"mat": {"cashmere": "cashmere blend", "mohair": "mohair blend",
                   "*": ["wool blend", "cotton blend", "merino wool", "soft yarn"]},
           "neck": {"turtleneck": "a turtle neck",
                    "*": ["a round neckline", "a V-neck", "a high collar"]},
           "Cut": {"oversized": "Oversized", "*": ["Relaxed", "Fitted", "Boxy"]}})

fam("Sweater", ["A_jersey_basic", "A_casual_jersey", "D_tops_jersey", "D_basic"], 5,
    ["sweatshirt", "printed sweatshirt", "oversized sweatshirt"],
    ["Sweatshirt in <pat>[soft|heavy] [cotton-blend sweatshirt fabric|sweatshirt fabric "
     "with a brushed inside], with [dropped shoulders|a round neckline] and ribbing "
     "around the neckline, cuffs and hem."],
    "BASIC", "Solid 3; Melange 2; Front print 2")

fam("Cardigan", ["A_knit", "A_knit_basic", "A_casual_knit", "D_tops_knit"], 8,
    ["cardigan", "fine-knit cardigan", "cropped cardigan", "pointelle cardigan",
     "boxy cardigan"],
    ["<Cut>cardigan in a <pat><knitstyle><mat> with [a V-neck|a round neckline], buttons "
     "down the front and [long puff sleeves|long sleeves|dropped shoulders]. Ribbing at "
     "the cuffs and hem."],
    "KNIT", "Solid 5; Stripe 1; Other structure 2", knit=True,
    slots={"mat": ["cotton blend", "viscose blend", "wool blend", "soft yarn"],
           "Cut": {"cropped": "Short ", "boxy": "Boxy ", "*": ""}})

fam("Cardigan", ["A_knit", "A_knit", "A_knit_prem", "A_knit_basic"], 7,
    ["wool cardigan", "wool-blend cardigan", "chunky wool cardigan",
     "merino wool cardigan", "long wool cardigan"],
    ["Cardigan in a <knit> knit <wool> with [a V-neck|a shawl collar|a round neckline], "
     "buttons down the front and [dropped shoulders|long raglan sleeves|ribbing at the "
     "cuffs and hem]. [Front pockets.|Patch pockets.|]"],
    "KNIT_GREY", "Melange 3; Solid 3; Other structure 1",
    lead=[("Grey", 0.9), ("Light Grey", 0.5), ("Dark Grey", 0.4)],
    slots={"knit": {"chunky": "chunky", "long": "soft",
                    "*": ["soft", "warm", "fine"]},
           "wool": {"merino": "of merino wool", "wool-blend": "made from a wool blend",
                    "*": ["containing some wool", "made from a wool blend",
                          "made from a wool and alpaca blend"]}})

fam("Hoodie", ["A_jersey_basic", "A_casual_jersey", "D_basic", "D_tops_jersey"], 6,
    ["hoodie", "oversized hoodie", "zip-through hoodie", "cropped hoodie"],
    ["Hoodie in <pat>[cotton-blend sweatshirt fabric with a soft brushed inside|sweatshirt "
     "fabric]. [Drawstring hood|Jersey-lined hood], <front>, plus rib-knit cuffs and "
     "hem."],
    "BASIC", "Solid 3; Melange 2; Front print 2",
    slots={"front": {"zip": "a zip down the front and side pockets",
                     "*": ["a kangaroo pocket", "side pockets"]}})

# --- Ladieswear: outerwear, tailoring --------------------------------------
fam("Jacket", ["A_outwear", "A_outwear", "D_outdoor"], 7,
    ["rain jacket", "water-repellent rain jacket", "hooded rain jacket",
     "waterproof jacket"],
    ["[Hip-length|Thigh-length|Short] rain jacket in a water-repellent shell [with taped "
     "seams|with a matte coating|made partly from recycled polyester]. [Lined hood with a "
     "drawstring|Adjustable hood], zip and wind flap with press-studs, [side pockets with "
     "a flap|welt side pockets] and [elastication at the cuffs|adjustable tabs at the "
     "cuffs]. [Unlined.|Mesh lining.]"],
    "RAIN", "Solid 1", lead=[("Yellow", 0.85)],
    extras=["Keeps you dry on rainy days."])

fam("Coat", ["A_outwear", "D_outdoor"], 4,
    ["raincoat", "water-repellent raincoat", "long raincoat", "trench-style raincoat"],
    ["Long raincoat in a water-repellent [shell|coated fabric] with [a hood|a collar and "
     "detachable hood], [press-studs|a zip] down the front, [pockets with a flap|side "
     "pockets] and a [drawstring at the waist|tie belt]. [Taped seams.|Unlined.]"],
    "RAIN", "Solid 1", lead=[("Yellow", 0.7)])

fam("Jacket", ["A_outwear", "A_outwear", "D_outdoor"], 6,
    ["puffer jacket", "padded jacket", "quilted jacket", "cropped puffer jacket"],
    ["<Length> jacket in [a water-repellent shell|woven fabric|glossy fabric] with "
     "[padding made from recycled polyester|a padded, quilted lining]. Features a "
     "[stand-up collar|hood], a full-length zip, side pockets and [elasticated|ribbed] "
     "cuffs. Lined."],
    "OUTDOOR", "Solid 1",
    slots={"Length": {"cropped": "Short", "*": ["Hip-length", "Padded", "Quilted"]}})

fam("Jacket", ["A_denim", "D_denim_other", "A_outwear"], 4,
    ["denim jacket", "oversized denim jacket", "cropped denim jacket"],
    ["Jacket in [washed|rigid cotton|thick] denim with a collar, buttons down the front, "
     "[flap chest pockets|chest pockets with a button] and [dropped shoulders|adjustable "
     "tabs at the sides]."],
    "DENIM", "Denim 1")

fam("Jacket", ["A_outwear", "D_outdoor"], 4,
    ["biker jacket", "imitation leather jacket", "imitation suede jacket"],
    ["Jacket in <mat> with [notch lapels|a stand-up collar|a wide collar], <zip> and "
     "[zipped pockets|flap chest pockets]. Lined."],
    "ACC", "Solid 1",
    slots={"mat": {"suede": "imitation suede",
                   "*": ["imitation leather", "soft imitation leather"]},
           "zip": {"biker": "a diagonal zip down the front",
                   "*": ["a zip down the front", "press-studs down the front"]}})

fam("Jacket", ["A_outwear", "D_outdoor"], 3,
    ["teddy jacket", "fleece jacket", "pile jacket"],
    ["Jacket in <mat> with a [stand-up collar|collar], a zip down the front and side "
     "pockets. [Unlined.|Lined.]"],
    "OUTDOOR", "Solid 1",
    slots={"mat": {"fleece": "soft fleece", "*": ["soft, fluffy pile", "warm pile"]}})

fam("Coat", ["A_outwear", "A_outwear", "A_woven_prem", "D_outdoor"], 9,
    ["trenchcoat", "wool-blend coat", "long wool coat", "double-breasted coat",
     "teddy coat", "car coat"],
    ["Coat in <pat><mat> with [notch lapels|a shawl collar|a collar and storm flap], "
     "<front> and [welt side pockets|flap pockets]. Lined.",
     "[Calf-length|Knee-length|Thigh-length] coat in <pat><mat>. <Front>, [dropped "
     "shoulders|raglan sleeves], side pockets and a single vent at the back. Lined."],
    "SUIT", "Solid 5; Check 2; Melange 1",
    slots={"mat": {"trench": "cotton gabardine", "wool": ["a wool blend",
                                                          "felted wool blend"],
                   "teddy": "faux shearling",
                   "*": ["a wool blend", "cotton gabardine", "bouclé"]},
           "front": {"double": "double-breasted buttons", "trench": "a tie belt at the "
                     "waist", "*": ["concealed buttons down the front",
                                    "a tie belt at the waist"]},
           "Front": {"double": "Double-breasted buttons", "trench": "Tie belt",
                     "*": ["Concealed buttons", "Tie belt"]}})

fam("Blazer", ["A_suit", "A_suit_jacket", "A_suit_jacket", "D_outdoor"], 8,
    ["blazer", "oversized blazer", "double-breasted blazer", "fitted blazer",
     "linen blazer", "suit jacket"],
    ["<Cut>jacket in <pat><mat> with [notch lapels|peak lapels|a shawl collar], <buttons> "
     "at the front and [flap front pockets|welt front pockets]. [Padded shoulders.|Lined.|"
     "Single back vent. Lined.]"],
    "SUIT", "Solid 6; Check 1; Stripe 1",
    slots={"mat": {"linen": "a linen blend",
                   "*": ["woven fabric", "a wool blend", "stretch twill", "crêpe"]},
           "buttons": {"double": "double-breasted buttons",
                       "*": ["a single button", "two buttons"]},
           "Cut": {"oversized": "Oversized ", "fitted": "Fitted ", "*": ""}})

fam("Trousers", ["A_tailor_trouser", "A_tailor_trouser", "A_suit"], 4,
    ["suit trousers", "tailored suit trousers", "wide suit trousers"],
    ["Suit trousers in <pat><mat> with a [high|regular] waist, [pressed pleats|creases "
     "down the front], [side pockets and welt back pockets|diagonal side pockets] and "
     "<leg>."],
    "SUIT", "Solid 5; Stripe 1; Check 1",
    slots={"mat": ["woven fabric", "a wool blend", "stretch twill", "crêpe"]})

# --- Lingerie, nightwear, swimwear ------------------------------------------
fam("Bra", ["B_ling_exp", "B_ling_exp", "B_ling_cas"], 8,
    ["push-up bra", "soft bra", "lace bra", "balconette bra", "bralette", "T-shirt bra"],
    ["<Head> in <pat><mat> with <cups>, [adjustable shoulder straps|narrow, adjustable "
     "straps] and a [hook-and-eye fastening at the back|fastening at the front]."],
    "LINGERIE", "Solid 5; Lace 3; Dot 1",
    slots={"mat": {"lace": "soft lace", "t-shirt": "smooth microfibre",
                   "*": ["microfibre", "soft jersey", "mesh", "satin"]},
           "cups": {"push-up": "underwired, padded push-up cups",
                    "soft": "non-wired, lined cups", "bralette": "soft, non-wired cups",
                    "balconette": "underwired balconette cups",
                    "*": ["underwired, moulded cups", "non-wired, lined cups"]}})

fam("Underwear bottom", ["B_ling_cas", "B_ling_cas", "B_ling_exp", "D_uw"], 8,
    ["3-pack briefs", "lace thong", "hipster briefs", "5-pack cotton briefs",
     "brazilian briefs", "high-waisted briefs"],
    ["<Head> in <pat><mat> with <waist> and a [lined gusset|cotton-lined gusset]. "
     "<back>"],
    "LINGERIE", "Solid 5; Lace 2; Stripe 1; All over pattern 1",
    slots={"mat": {"lace": "soft stretch lace", "cotton": "cotton jersey",
                   "*": ["cotton jersey", "microfibre", "soft modal jersey"]},
           "waist": {"high": "a high waist", "hipster": "a low waist",
                     "*": ["a regular waist", "a low waist"]},
           "back": {"thong": "String back.", "brazilian": "Low coverage at the back.",
                    "*": ["Medium coverage at the back.", "Full coverage at the back.",
                          ""]}})

fam("Underwear Tights", ["B_tights"], 6,
    ["tights", "matt tights", "sheer tights", "shaping tights", "2-pack tights",
     "patterned tights"],
    ["Tights in <weave> [20|30|40|50|80] denier weave with [an elasticated waist|a comfort "
     "waistband] and [reinforced toes|a cotton gusset|flat seams at the toes]. <extra>"],
    "TIGHTS", "Solid 5; Dot 1; Other structure 1", ncol={1: 3, 2: 3, 3: 2},
    slots={"weave": {"matt": "a matt", "sheer": "a sheer",
                     "*": ["a matt", "a semi-sheer", "an opaque"]},
           "extra": {"shaping": "Shaping panel at the top.", "*": [""]}})

fam("Socks", ["B_socks"], 6,
    ["5-pack socks", "ankle socks", "wool-blend socks", "trainer socks", "glittery socks",
     "knee socks"],
    ["<Noun> in a <pat><mat> with [ribbed tops|a cushioned sole|an elasticated top]."],
    "WOMEN", "Solid 5; Stripe 2; Dot 1",
    slots={"mat": {"wool": "soft wool blend", "glitter": "glittery cotton blend",
                   "*": ["soft, fine-knit cotton blend", "ribbed cotton blend"]}})

fam("Pyjama set", ["B_night", "B_night", "B_night", "A_lounge"], 8,
    ["pyjamas", "satin pyjamas", "flannel pyjamas", "jersey pyjamas",
     "pyjama shirt and shorts"],
    ["Pyjamas in <pat><mat>. <top>. The <bottoms> have an elasticated waist and [straight "
     "legs|piped hems]."],
    "LINGERIE", "Solid 3; Check 2; All over pattern 2; Stripe 2; Dot 1",
    slots={"mat": {"satin": "satin", "flannel": "cotton flannel", "jersey": "soft jersey",
                   "*": ["cotton poplin", "soft jersey", "satin"]},
           "top": {"shirt": "Shirt with notch lapels, buttons down the front and a chest "
                   "pocket",
                   "*": ["Long-sleeved top with a round neckline",
                         "Vest top with narrow shoulder straps",
                         "Shirt-style top with notch lapels and a buttoned front"]},
           "bottoms": {"shorts": "shorts", "*": ["bottoms", "shorts"]}})

fam("Night gown", ["B_night"], 2,
    ["nightslip", "satin nightdress"],
    ["<Noun> in <mat> with [narrow, adjustable shoulder straps|a V-neck] and [lace trim "
     "at the neckline|a short, flared skirt]."],
    "LINGERIE", "Solid 2; Lace 1",
    slots={"mat": {"satin": "satin", "*": ["satin", "soft jersey"]}})

fam("Robe", ["B_night"], 3,
    ["waffle-knit dressing gown", "satin dressing gown", "fleece dressing gown"],
    ["Dressing gown in <mat> with [a shawl collar|a hood], a tie belt at the waist and "
     "[side pockets|patch front pockets]."],
    "LINGERIE", "Solid 3; Stripe 1",
    slots={"mat": {"waffle": "waffled cotton", "satin": "satin", "fleece": "soft fleece",
                   "*": "soft fleece"}})

fam("Bikini top", ["B_swim", "B_swim", "B_swim", "D_swim"], 8,
    ["bikini top", "triangle bikini top", "bandeau bikini top", "padded bikini top",
     "balconette bikini top"],
    ["Bikini top with <cups>, [ties at the back of the neck and back|adjustable shoulder "
     "straps|a fastening at the back]. [Lined.|Made partly from recycled polyester.]"],
    "SWIM", "Solid 5; All over pattern 2; Stripe 1; Dot 1; Other structure 1",
    slots={"cups": {"triangle": "lightly padded triangle cups",
                    "bandeau": "a bandeau shape, removable inserts",
                    "padded": "padded cups",
                    "balconette": "underwired balconette cups",
                    "*": ["lightly padded cups", "removable inserts"]}})

fam("Swimwear bottom", ["B_swim", "B_swim", "D_swim"], 7,
    ["bikini bottoms", "high-leg bikini bottoms", "tie-side bikini bottoms",
     "brazilian bikini bottoms", "high-waisted bikini bottoms"],
    ["Bikini bottoms with <waist>, <sides> and <back> coverage at the back. Lined."],
    "SWIM", "Solid 5; All over pattern 2; Stripe 1; Dot 1",
    slots={"waist": {"high-waisted": "a high waist",
                     "*": ["a low waist", "a regular waist"]},
           "sides": {"tie-side": "ties at the sides", "high-leg": "high-cut legs",
                     "*": ["a wide elastic band", "narrow sides"]},
           "back": {"brazilian": "low", "*": ["medium", "full"]}})

fam("Swimsuit", ["B_swim", "B_swim", "D_swim"], 6,
    ["swimsuit", "cut-out swimsuit", "shaping swimsuit", "one-shoulder swimsuit",
     "high-leg swimsuit"],
    ["Swimsuit with <neck>, [lightly padded cups|removable inserts], [adjustable shoulder "
     "straps|a low-cut back] and <legs>. <extra>Lined."],
    "SWIM", "Solid 5; All over pattern 2; Stripe 1",
    slots={"neck": {"one-shoulder": "a one-shoulder neckline",
                    "*": ["a V-neck", "a deep V-neck", "a square neckline"]},
           "legs": {"high-leg": "high-cut legs",
                    "*": ["high-cut legs", "medium coverage at the back"]},
           "extra": {"cut-out": "Cut-out details at the sides. ",
                     "shaping": "Shaping inner panel at the front. ", "*": ""}})

# --- Ladies accessories & shoes ---------------------------------------------
fam("Bag", ["C_bags", "C_bags", "D_bags"], 11,
    ["shoulder bag", "tote bag", "shopper", "cross-body bag", "clutch bag",
     "leather shoulder bag", "straw bag", "bucket bag", "canvas shopper"],
    ["<Head> in <mat> with <strap> and [a zip|a magnetic fastener|a flap with a concealed "
     "magnetic fastener|an open top]. [One inner compartment.|Inner zipped pocket.|"
     "Lined.|Unlined.] Size approx. [20x14|25x18|30x35|38x32|22x6x15] cm."],
    "ACC", "Solid 6; Check 1; Other structure 1",
    slots={"mat": {"leather": "leather", "straw": "paper straw", "canvas": "cotton canvas",
                   "*": ["imitation leather", "grained imitation leather",
                         "imitation suede"]},
           "strap": {"tote": "two handles", "shopper": "two handles",
                     "clutch": "a detachable chain strap",
                     "*": ["a detachable shoulder strap", "an adjustable shoulder strap",
                           "a chain shoulder strap"]}})

fam("Bag", ["C_bags", "F_bags"], 3,
    ["laptop bag", "padded laptop sleeve"],
    ['<Noun> in [padded|water-repellent|imitation leather] fabric with a zip [around the '
     'top|at the top] and <handles>. Lined. Fits laptops up to [13|14|15]".'],
    "ACC", "Solid 1",
    slots={"handles": {"sleeve": "a handle", "*": ["two handles",
                                                   "a detachable shoulder strap"]}})

fam("Hat/beanie", ["C_hats", "D_knit_acc"], 4,
    ["beanie", "rib-knit beanie", "wool-blend hat", "cashmere-blend beanie"],
    ["<Head> in <pat><mat> with [a wide turn-up|a pompom on top|a fold-up brim]."],
    "KNIT", "Solid 4; Melange 1",
    slots={"mat": {"cashmere": "a soft cashmere blend", "wool": "a soft wool blend",
                   "rib": "a soft rib knit",
                   "*": ["a soft rib knit", "a knit containing some wool"]}})

fam("Hat/brim", ["C_hats", "D_knit_acc"], 4,
    ["straw hat", "bucket hat", "felted wool hat", "wide-brimmed hat"],
    ["Hat in <mat> with <brim>. Head circumference [56|57|58] cm."],
    "ACC", "Solid 4; Check 1",
    slots={"mat": {"straw": "braided paper straw", "bucket": "cotton twill",
                   "felt": "felted wool", "*": ["paper straw", "felted wool"]},
           "brim": {"wide": "a wide brim", "bucket": "a sloping brim",
                    "*": ["a wide brim", "a narrow brim and a grosgrain band"]}})

fam("Scarf", ["C_scarves", "C_scarves", "D_knit_acc"], 7,
    ["wool scarf", "silk-blend scarf", "chunky-knit scarf", "woven scarf", "satin scarf",
     "wool-blend scarf"],
    ["Scarf in <pat><mat> with [fringes at the short ends|ribbed edges|hand-rolled "
     "edges]. Size approx. [30x170|60x200|50x50|35x180] cm."],
    "ACC", "Solid 3; Check 2; All over pattern 1; Melange 1",
    slots={"mat": {"silk": "a silk blend", "satin": "satin", "chunky": "a chunky knit",
                   "wool-blend": "a soft wool blend", "wool": "soft wool",
                   "*": ["a soft weave", "woven cotton"]}})

fam("Belt", ["C_belts", "C_belts"], 3,
    ["leather belt", "waist belt", "imitation leather belt"],
    ["Belt made from <mat>, fastened with a [metal|covered|round] buckle. Width "
     "[2|2.5|3|4] cm."],
    "ACC", "Solid 1", ncol={1: 3, 2: 2},
    slots={"mat": {"imitation": "grained imitation leather", "leather": "leather",
                   "*": ["imitation leather", "leather"]}})

fam("Gloves", ["C_hats"], 2,
    ["leather gloves", "knitted gloves"],
    ["Gloves in <mat> with [a fleece lining|ribbed cuffs]."],
    "ACC", "Solid 1",
    slots={"mat": {"leather": "soft leather", "*": "a rib knit containing some wool"}})

fam("Earring", ["C_jewel", "C_jewel"], 5,
    ["hoop earrings", "drop earrings", "3-pack earrings", "pearl earrings",
     "chunky hoop earrings"],
    ["Earrings in <mat>. <size>"],
    "METAL", "Solid 3; Glittering/Metallic 1", ncol={1: 3, 2: 2},
    slots={"mat": {"pearl": "metal with imitation pearls",
                   "*": ["metal", "recycled metal", "gold-plated metal"]},
           "size": {"hoop": "Diameter Ø [1.5|2|3|4|5] cm.",
                    "*": ["Length [3|4|6] cm.", "Diameter Ø [1|1.5] cm."]}})

fam("Necklace", ["C_jewel"], 2,
    ["chain necklace", "pendant necklace"],
    ["Necklace in metal with <detail> and an adjustable clasp. Length [40|45|50] cm."],
    "METAL", "Solid 1", ncol={1: 2, 2: 1},
    slots={"detail": {"pendant": "a pendant", "*": "a flat chain"}})

fam("Hair clip", ["C_hair"], 2,
    ["hair claw", "2-pack hair clips"],
    ["<Noun> in [plastic|metal|glossy resin]. Length [7|9|11] cm."],
    "ACC", "Solid 2; Other structure 1")

fam("Sunglasses", ["C_sunglasses"], 3,
    ["sunglasses", "cat-eye sunglasses", "round sunglasses"],
    ["<Noun> with [plastic|metal] frames and [tinted|gradient] UV-protective lenses."],
    "ACC", "Solid 1", ncol={1: 2, 2: 2, 3: 1})

fam("Boots", ["C_boots", "C_boots", "C_shoes_prem"], 7,
    ["suede boots", "suede ankle boots", "suede Chelsea boots", "knee-high suede boots",
     "suede western boots"],
    ["<Kind> in suede with <fastening>, [a block heel|a flat sole|a chunky heel|a stacked "
     "heel] and [a rounded toe|a pointed toe|a square toe]. [Lined in leather, with a "
     "leather insole.|Fabric lining and a leather insole.|Lined in imitation leather.] "
     "Heel [3|4|5|6] cm."],
    "SUEDE", "Solid 1", lead=[("Yellowish Brown", 0.9)],
    slots={"Kind": {"ankle": "Ankle boots", "chelsea": "Chelsea boots",
                    "knee-high": "Knee-high boots", "western": "Western-style boots",
                    "*": "Boots"},
           "fastening": {"chelsea": "elastic gores in the sides",
                         "western": "pull-on loops at the top",
                         "*": ["a zip in one side", "a pull-on loop at the back",
                               "elastic gores in the sides"]}})

fam("Boots", ["C_boots", "C_boots", "D_shoes"], 7,
    ["ankle boots", "chunky boots", "leather boots", "knee-high boots", "lace-up boots"],
    ["Boots in <mat> with <fastening>, <sole>. [Fabric lining.|Warm, fleecy lining.] Heel "
     "[3|4|5|7] cm."],
    "SHOES", "Solid 1",
    slots={"mat": {"leather": "leather",
                   "*": ["imitation leather", "smooth imitation leather", "leather"]},
           "fastening": {"lace-up": "lacing at the front",
                         "*": ["a zip in one side", "elastic gores in the sides"]},
           "sole": {"chunky": "chunky, patterned soles",
                    "*": ["a block heel", "a platform sole", "chunky, patterned soles"]}})

fam("Sneakers", ["C_sneakers", "C_sneakers", "D_shoes"], 7,
    ["trainers", "chunky trainers", "canvas trainers", "leather trainers",
     "platform trainers", "retro trainers"],
    ["Trainers in <mat> with [lacing at the front|a hook and loop fastening], [a padded "
     "top edge|a loop at the back]. Lined in [fabric|mesh], with [a cushioned|an "
     "imitation leather] insole and <sole> outsole."],
    "SHOES", "Solid 4; Colour blocking 1",
    slots={"mat": {"canvas": "cotton canvas", "leather": "leather",
                   "retro": "mesh and imitation suede",
                   "*": ["imitation leather", "mesh and imitation suede"]},
           "sole": {"chunky": "a chunky", "platform": "a platform",
                    "*": ["a rubber", "a grippy", "a chunky"]}})

fam("Sandals", ["C_flats", "C_shoes_prem", "D_shoes"], 7,
    ["sandals", "leather sandals", "strappy sandals", "footbed sandals",
     "espadrille sandals", "slides"],
    ["<Head> made from <mat>, with <straps>. [Shaped footbed|Padded insole] and <sole>."],
    "SHOES", "Solid 1", lead=[("Light Beige", 0.2)],
    slots={"mat": {"leather": "leather", "espadrille": "woven cotton",
                   "*": ["imitation leather", "imitation suede", "braided straps"]},
           "straps": {"slides": "one wide strap across the foot",
                      "strappy": "narrow crossing straps over the foot",
                      "*": ["a buckled ankle strap", "crossing straps over the foot",
                            "one wide strap across the foot"]},
           "sole": {"espadrille": "a jute-trimmed sole", "*": "a rubber outsole"}})

fam("Pumps", ["C_heels"], 4,
    ["court shoes", "slingback pumps", "block-heeled pumps"],
    ["Pumps in [imitation leather|imitation suede|satin] with a [pointed|square] toe<strap> "
     "and a <heel> heel. Heel [5|6|8] cm."],
    "SHOES", "Solid 1", lead=[("Red", 0.25)],
    slots={"strap": {"slingback": ", a slingback strap with a buckle", "*": ""},
           "heel": {"block": "block", "*": ["covered", "block", "kitten"]}})

fam("Heeled sandals", ["C_heels"], 2,
    ["heeled sandals", "strappy heeled sandals"],
    ["Sandals in [imitation leather|satin] with [narrow straps|an ankle strap with a "
     "buckle] and a [block|stiletto] heel. Heel [7|9] cm."],
    "SHOES", "Solid 1", lead=[("Gold", 0.3)])

fam("Ballerinas", ["C_flats"], 3,
    ["ballet pumps", "mesh ballet pumps"],
    ["Ballet pumps in <mat> with [a narrow elastic strap|a bow at the front] and "
     "[rubber soles|imitation leather insoles]."],
    "SHOES", "Solid 1",
    slots={"mat": {"mesh": "soft mesh", "*": ["imitation leather", "satin"]}})

# --- Divided extras -----------------------------------------------------------
fam("Trousers", ["D_trousers", "D_trousers"], 6,
    ["cargo trousers", "parachute trousers", "wide-leg trousers", "low-rise trousers"],
    ["Trousers in <pat><mat> with <waist>, [zip fly and button|an elasticated back and a "
     "drawstring], <pockets> and <leg>."],
    "WOMEN", "Solid 4; Check 1",
    slots={"mat": {"parachute": "crinkled nylon", "cargo": "cotton twill",
                   "*": ["woven fabric", "cotton twill"]},
           "waist": {"low-rise": "a low waist", "*": ["a regular waist", "a high waist"]},
           "pockets": {"cargo": "flap pockets on the legs", "parachute": "cargo pockets",
                       "*": "side pockets"},
           "leg": {"parachute": "wide legs with drawstrings at the hems",
                   "wide": "wide legs", "*": ["straight legs", "wide legs"]}})

fam("Jacket", ["D_outdoor", "D_outdoor"], 5,
    ["bomber jacket", "shacket", "oversized puffer jacket", "utility jacket"],
    ["<Head> in <mat> with a [collar|stand-up collar], [a zip|buttons] down the front, "
     "[flap chest pockets|side pockets] and [ribbed trims|buttoned cuffs]."],
    "OUTDOOR", "Solid 3; Check 1",
    slots={"mat": {"puffer": "padded, quilted fabric", "shacket": "brushed twill",
                   "bomber": "smooth nylon", "*": ["cotton twill", "corduroy"]}})

fam("Cap/peaked", ["D_knit_acc", "F_acc", "F_acc"], 5,
    ["cap", "cotton twill cap", "embroidered cap", "corduroy cap"],
    ["Cap in <mat> with <detail> and an adjustable strap at the back."],
    "MEN", "Solid 3", patsent=False,
    slots={"mat": {"corduroy": "corduroy", "twill": "cotton twill",
                   "*": ["cotton twill", "washed cotton"]},
           "detail": {"embroidered": "an embroidered motif at the front",
                      "*": ["a curved peak", "a flat peak"]}})

# --- Menswear -----------------------------------------------------------------
fam("T-shirt", ["F_light_jersey"], 11,
    ["T-shirt", "Regular Fit T-shirt", "Slim Fit T-shirt", "Relaxed Fit T-shirt",
     "crew-neck T-shirt", "V-neck T-shirt", "3-pack T-shirts"],
    ["T-shirt in <pat><mat> with a <neck> and short sleeves. <fit>",
     "T-shirt in [heavyweight|soft|lightweight] <pat>cotton jersey with a rib-trimmed "
     "<neck> and [a straight-cut hem|dropped shoulders]. <fit>"],
    "MEN", "Solid 7; Melange 2",
    slots={"mat": ["cotton jersey", "organic cotton jersey", "slub jersey",
                   "pima cotton jersey"],
           "neck": {"v-neck": "V-neck", "crew": "round neckline",
                    "*": ["round neckline", "round neckline", "V-neck"]}})

fam("T-shirt", ["F_street_jersey", "F_street_jersey", "F_casual_jersey",
                "F_smart_jersey"], 10,
    ["printed T-shirt", "graphic T-shirt", "striped T-shirt", "Relaxed Fit printed T-shirt",
     "Loose Fit T-shirt"],
    ["T-shirt in <pat>[cotton jersey|heavy cotton jersey|washed cotton jersey] with a "
     "[round, rib-trimmed neckline|round neckline] and [dropped shoulders|short sleeves]. "
     "<fit>"],
    "MEN", "Front print 5; Stripe 2; Placement print 2; Solid 1")

fam("Polo shirt", ["F_smart_jersey", "F_casual_jersey", "F_suit_knit"], 5,
    ["polo shirt", "Slim Fit polo shirt", "knitted polo shirt", "piqué polo shirt"],
    ["Polo shirt in <pat><mat> with a [ribbed collar|resort collar], [a button placket|an "
     "open V-neck] and short sleeves. <fit>"],
    "MEN", "Solid 4; Stripe 1",
    slots={"mat": {"knitted": "a fine cotton knit", "piqué": "cotton piqué",
                   "*": ["cotton piqué", "soft jersey"]}})

fam("Shirt", ["F_casual_shirt", "F_casual_shirt", "F_smart_shirt", "F_smart_shirt",
              "F_suit_shirt"], 13,
    ["Oxford shirt", "linen shirt", "flannel shirt", "Slim Fit shirt", "Regular Fit shirt",
     "easy-iron shirt", "corduroy shirt", "resort shirt"],
    ["Shirt in <pat><mat> with <collar>, [a classic front|buttons down the front], [a "
     "chest pocket|a yoke at the back] and <sleeves>. <fit>"],
    "MEN", "Solid 5; Stripe 2; Check 3; All over pattern 1",
    slots={"mat": {"oxford": "Oxford cotton", "linen": ["washed linen", "a linen blend"],
                   "flannel": "cotton flannel", "corduroy": "fine corduroy",
                   "easy-iron": "easy-iron cotton poplin",
                   "*": ["cotton poplin", "stretch cotton", "a linen blend"]},
           "collar": {"oxford": "a button-down collar", "resort": "a resort collar",
                      "*": ["a turn-down collar", "a button-down collar"]},
           "sleeves": {"resort": "short sleeves",
                       "*": ["long sleeves with adjustable buttoning at the cuffs",
                             "long sleeves with buttoned cuffs"]}})

fam("Shirt", ["F_casual_shirt"], 2,
    ["denim shirt", "Regular Fit denim shirt"],
    ["Shirt in [washed|soft] cotton denim with a turn-down collar, [press-studs|buttons] "
     "down the front and [flap chest pockets|a chest pocket]. <fit>"],
    "DENIM", "Denim 1")

fam("Shirt", ["F_casual_shirt", "F_smart_shirt"], 3,
    ["overshirt", "padded overshirt", "wool-blend overshirt"],
    ["Overshirt in <mat> with a collar, buttons down the front, [flap chest pockets|chest "
     "pockets] and [buttoned cuffs|a straight-cut hem]. <fit>"],
    "MEN", "Solid 3; Check 2",
    slots={"mat": {"wool": "a wool blend", "padded": "padded cotton twill",
                   "*": ["cotton twill", "corduroy"]}})

fam("Sweater", ["F_smart_knit", "F_smart_knit", "F_casual_knit", "F_suit_knit"], 10,
    ["jumper", "merino wool jumper", "cotton jumper", "cable-knit jumper",
     "rib-knit jumper", "turtleneck jumper", "half-zip jumper", "lambswool jumper"],
    ["Jumper in a <pat><knitstyle><mat> with <neck>, long sleeves and ribbing at the "
     "[neckline, cuffs and hem|cuffs and hem]. <fit>"],
    "MEN", "Solid 5; Melange 3; Stripe 1; Jacquard 1; Other structure 1", knit=True,
    slots={"mat": {"merino": "merino wool", "cotton": "cotton blend",
                   "lambswool": "lambswool blend",
                   "*": ["merino wool", "cotton blend", "wool blend"]},
           "neck": {"turtleneck": "a turtle neck", "half-zip": "a zip at the neckline",
                    "*": ["a round neckline", "a V-neck"]}})

fam("Sweater", ["F_street_jersey", "F_heavy_jersey", "F_casual_jersey"], 6,
    ["sweatshirt", "Relaxed Fit sweatshirt", "printed sweatshirt", "crew-neck sweatshirt"],
    ["Sweatshirt in <pat>[cotton-blend|heavyweight] sweatshirt fabric [with a soft "
     "brushed inside|with a fleecy inside]. Ribbing around the neckline, cuffs and hem. "
     "<fit>"],
    "MEN", "Solid 3; Melange 2; Front print 2")

fam("Cardigan", ["F_smart_knit", "F_suit_knit"], 3,
    ["cardigan", "wool-blend cardigan", "knitted cardigan"],
    ["Cardigan in a <pat><knitstyle><mat> with a V-neck, buttons down the front and "
     "ribbing at the cuffs and hem. <fit>"],
    "MEN", "Solid 3; Melange 1", knit=True,
    slots={"mat": {"wool": "wool blend", "*": ["wool blend", "cotton blend",
                                               "merino wool"]}})

fam("Hoodie", ["F_street_jersey", "F_street_jersey", "F_heavy_jersey", "F_casual_jersey"],
    10,
    ["hoodie", "Relaxed Fit hoodie", "zip-through hoodie", "printed hoodie",
     "Regular Fit hoodie"],
    ["Hoodie in <pat>[cotton-blend sweatshirt fabric with a soft brushed inside|"
     "sweatshirt fabric with a fleecy inside]. Features a [jersey-lined drawstring hood|"
     "double-layered hood], <front>, plus rib-knit cuffs and hem. <fit>"],
    "MEN", "Solid 4; Melange 2; Front print 3; Placement print 1",
    slots={"front": {"zip": "a zip down the front, side pockets",
                     "*": ["a kangaroo pocket", "side pockets"]}})

fam("Trousers", ["F_casual_trouser", "F_casual_trouser", "F_smart_trouser",
                 "F_street_trouser"], 9,
    ["chinos", "Slim Fit chinos", "Regular Fit trousers", "cargo trousers",
     "linen-blend trousers", "corduroy trousers", "pleated trousers"],
    ["<Head> in <pat><mat> with a [regular|high] waist, zip fly and button, <pockets> "
     "and <leg>. <fit>"],
    "MEN", "Solid 6; Check 1",
    slots={"mat": {"chino": ["stretch cotton twill", "cotton twill"],
                   "linen": "a linen blend", "corduroy": "corduroy",
                   "cargo": ["ripstop", "cotton twill"],
                   "*": ["cotton twill", "woven fabric", "a wool blend"]},
           "pockets": {"cargo": "side pockets and cargo pockets on the legs",
                       "pleated": "pleats at the front, side pockets",
                       "*": ["side pockets and welt back pockets",
                             "diagonal side pockets"]}})

fam("Trousers", ["F_denim", "F_denim"], 12,
    ["Slim Jeans", "Skinny Jeans", "Regular Jeans", "Straight Jeans", "Loose Jeans",
     "Tapered Jeans", "Relaxed Jeans"],
    ["Five-pocket jeans made from [washed|stretch|rigid cotton|organic cotton] denim. "
     "[Regular|Low] rise, zip fly and <leg>. <fit>",
     "Jeans in [washed|heavy|soft, stretch] denim with [a regular waist|a low waist], zip "
     "fly, [five pockets|front and back pockets] and <leg>."],
    "DENIM", "Denim 1")

fam("Trousers", ["F_heavy_jersey", "F_street_jersey", "F_street_trouser"], 7,
    ["joggers", "Regular Fit joggers", "sweatpants", "cargo joggers", "Slim Fit joggers"],
    ["<Head> made from <pat><mat>. Elastic waist with a drawstring, <pockets> and "
     "[ribbed cuffs|tapered legs finished with ribbed cuffs]. <fit>"],
    "JOGGER_GREY", "Solid 3; Melange 3", lead=[("Grey", 0.5)],
    slots={"mat": ["soft sweatshirt fabric", "cotton-blend sweatshirt fabric",
                   "fleece", "heavyweight jersey"],
           "pockets": {"cargo": "side pockets, flap pockets on the legs",
                       "*": ["pockets in the side seams", "side pockets and a back "
                             "pocket"]}})

fam("Shorts", ["F_casual_shorts", "F_casual_shorts", "F_smart_shorts"], 8,
    ["chino shorts", "linen shorts", "cargo shorts", "sweatshorts"],
    ["Knee-length shorts in <pat><mat> with <waist>, <pockets>. <fit>"],
    "MEN", "Solid 5; Stripe 1; Check 1; Melange 1",
    slots={"mat": {"chino": "cotton twill", "linen": "a linen blend",
                   "cargo": ["ripstop", "cotton twill"], "sweat": "sweatshirt fabric",
                   "*": "cotton twill"},
           "waist": {"sweat": "an elasticated drawstring waist",
                     "linen": "an elasticated drawstring waist",
                     "*": "a regular waist, zip fly and button"},
           "pockets": {"cargo": "side pockets and cargo pockets",
                       "*": ["side pockets and welt back pockets", "side pockets and a "
                             "back pocket"]}})

fam("Shorts", ["F_denim_shorts"], 3,
    ["denim shorts", "Relaxed Fit denim shorts"],
    ["Five-pocket shorts made from [washed|stretch] denim. Regular rise, zip fly and "
     "[raw-cut|turned-up] hems. <fit>"],
    "DENIM", "Denim 1")

fam("Blazer", ["F_suit_blazer", "F_suit_blazer2"], 7,
    ["Slim Fit suit jacket", "Regular Fit suit jacket", "wool-blend blazer",
     "linen-blend blazer", "Skinny Fit suit jacket", "tuxedo jacket"],
    ["Jacket in <pat><mat> with <lapels>, [two buttons|a single button] at the front, a "
     "chest pocket and flap front pockets. [Single back vent|Double back vents]. Lined. "
     "<fit>"],
    "SUIT", "Solid 5; Check 1; Melange 1",
    slots={"mat": {"wool": "a wool blend", "linen": "a linen blend",
                   "*": ["woven fabric", "stretch twill", "a wool blend"]},
           "lapels": {"tuxedo": "satin-covered shawl lapels",
                      "*": ["notch lapels", "peak lapels"]}})

fam("Trousers", ["F_suit_trouser", "F_suit_trouser2"], 6,
    ["Slim Fit suit trousers", "Regular Fit suit trousers", "wool-blend suit trousers",
     "tuxedo trousers"],
    ["Suit trousers in <pat><mat> with a regular waist, zip fly and hook-and-eye "
     "fastener, <front>, side pockets and welt back pockets. <fit>"],
    "SUIT", "Solid 5; Check 1; Melange 1",
    slots={"mat": {"wool": "a wool blend", "*": ["woven fabric", "stretch twill",
                                                 "a wool blend"]},
           "front": {"tuxedo": "satin stripes down the sides",
                     "*": "creases down the front"}})

fam("Jacket", ["F_jacket_casual", "F_jacket_casual", "F_jacket_smart", "F_jacket_street"], 9,
    ["padded jacket", "bomber jacket", "puffer jacket", "harrington jacket",
     "water-repellent jacket", "utility jacket", "imitation leather jacket"],
    ["Jacket in <mat><padding>. Comes with a [stand-up collar|hood|ribbed collar], a "
     "full-length zip, [side pockets|zipped side pockets and an inner pocket] and "
     "[ribbed|elasticated] cuffs. Lined. <fit>"],
    "OUTDOOR", "Solid 5; Colour blocking 1",
    slots={"mat": {"imitation leather": "imitation leather",
                   "water-repellent": "a water-repellent shell",
                   "harrington": "cotton twill", "utility": "cotton twill",
                   "bomber": "smooth nylon",
                   "*": ["a water-repellent shell", "woven fabric"]},
           "padding": {"padded": " with padding made from recycled polyester",
                       "puffer": " with padding made from recycled polyester",
                       "*": ["", " with a quilted lining"]}})

fam("Jacket", ["F_jacket_casual", "F_jacket_street"], 3,
    ["rain jacket", "hooded rain jacket", "water-repellent shell jacket"],
    ["Rain jacket in a water-repellent shell [with taped seams|made from recycled "
     "polyester] with [an adjustable hood|a hood with a drawstring], zip and wind flap "
     "down the front and [zipped side pockets|flap side pockets]. [Unlined.|Mesh "
     "lining.] <fit>"],
    "RAIN", "Solid 1", lead=[("Yellow", 0.6)])

fam("Jacket", ["F_jacket_street", "F_jacket_casual"], 2,
    ["denim jacket", "Relaxed Fit denim jacket"],
    ["Jacket in [washed|rigid cotton] denim with a collar, buttons down the front, flap "
     "chest pockets and adjustable tabs at the sides. <fit>"],
    "DENIM", "Denim 1")

fam("Coat", ["F_jacket_smart", "F_jacket_smart", "F_jacket"], 6,
    ["wool-blend coat", "overcoat", "parka", "car coat", "trenchcoat", "padded parka"],
    ["<Head> in <pat><mat> with <collar>, <front> and [welt side pockets|flap pockets]. "
     "Lined. <fit>"],
    "SUIT", "Solid 5; Check 1; Melange 1",
    slots={"mat": {"wool": "a wool blend", "parka": "a water-repellent shell",
                   "trench": "cotton gabardine",
                   "*": ["a wool blend", "felted wool", "cotton gabardine"]},
           "collar": {"parka": "a hood", "*": ["notch lapels", "a stand-up collar"]},
           "front": {"parka": "a zip and wind flap down the front",
                     "trench": "double-breasted buttons, a tie belt",
                     "*": "concealed buttons down the front"}})

fam("Outdoor Waistcoat", ["F_jacket", "A_outwear", "D_outdoor"], 3,
    ["padded gilet", "quilted gilet"],
    ["Gilet in <mat> with [a stand-up collar|a hood], a zip down the front and [side "
     "pockets|zipped side pockets]. Lined."],
    "OUTDOOR", "Solid 1",
    slots={"mat": {"quilted": "padded, quilted fabric made from recycled polyester",
                   "*": "a water-repellent shell with padding"}})

fam("Underwear bottom", ["F_uw", "F_uw"], 6,
    ["5-pack trunks", "3-pack boxer shorts", "woven boxer shorts", "3-pack briefs"],
    ["<Head> in <pat><mat> with [an elasticated waist|a jacquard-weave waistband|a "
     "covered elastic waistband] and <front>."],
    "MEN", "Solid 4; Stripe 1; Check 1; All over pattern 1",
    slots={"mat": {"woven": "woven cotton",
                   "*": ["soft cotton jersey", "stretch cotton jersey"]},
           "front": {"boxer": "a button fly", "trunks": "short legs",
                     "*": "a lined front"}})

fam("Socks", ["F_socks", "F_socks"], 5,
    ["5-pack socks", "wool-blend socks", "trainer socks", "10-pack socks",
     "patterned socks"],
    ["<Noun> in a <pat><mat> with [ribbed tops|reinforced heels and toes|a cushioned "
     "sole]."],
    "MEN", "Solid 4; Stripe 1; Jacquard 1", knit=True,
    slots={"mat": {"wool": "wool blend",
                   "*": ["soft cotton blend", "fine-knit cotton blend"]}})

fam("Swimwear bottom", ["F_swim", "F_swim"], 6,
    ["swim shorts", "patterned swim shorts", "Regular Fit swim shorts"],
    ["Swim shorts in <pat>[woven fabric|quick-drying fabric made from recycled "
     "polyester] with [an elasticated drawstring waist|a drawstring and lacing at the "
     "waist], [side pockets|side pockets and a back pocket with a flap] and a mesh inner "
     "brief. <fit>"],
    "SWIM", "Solid 3; All over pattern 2; Stripe 1")

fam("Pyjama set", ["F_lounge"], 4,
    ["pyjamas", "flannel pyjamas", "jersey pyjamas"],
    ["Pyjamas in <pat><mat>. Top with <top>. The bottoms have a drawstring at the "
     "elastic waist and [side pockets|ribbed cuffs at the hems]. <fit>"],
    "MEN", "Solid 2; Check 2; Stripe 1",
    slots={"mat": {"flannel": "cotton flannel", "jersey": "soft jersey",
                   "*": ["cotton poplin", "soft jersey"]},
           "top": {"jersey": "a round neckline and long sleeves",
                   "*": ["a round neckline and long sleeves",
                         "a collar and buttons down the front"]}})

fam("Pyjama bottom", ["F_lounge", "B_night"], 2,
    ["pyjama bottoms", "flannel pyjama bottoms"],
    ["Pyjama bottoms in <pat><mat> with a drawstring at the elastic waist and pockets in "
     "the side seams."],
    "MEN", "Check 2; Solid 1",
    slots={"mat": {"flannel": "cotton flannel", "*": ["soft jersey", "cotton flannel"]}})

fam("Sneakers", ["F_shoes", "F_shoes"], 7,
    ["trainers", "leather trainers", "canvas trainers", "chunky trainers",
     "running-style trainers"],
    ["Trainers in <mat> with lacing at the front and a [padded|loop at the back and a "
     "padded] top edge. Lined in [fabric|mesh], with a cushioned insole and <sole> "
     "outsole."],
    "SHOES", "Solid 4; Colour blocking 1",
    slots={"mat": {"leather": "leather", "canvas": "cotton canvas",
                   "running": "mesh and imitation suede",
                   "*": ["imitation leather", "leather", "mesh and imitation suede"]},
           "sole": {"chunky": "a chunky, grippy", "*": ["a rubber", "a grippy"]}})

fam("Boots", ["F_shoes", "F_shoes"], 6,
    ["Chelsea boots", "suede Chelsea boots", "leather boots", "lace-up boots",
     "suede desert boots"],
    ["Boots made from <mat>, with <fastening> and a pull-on tab at the heel. Lined in "
     "[fabric|leather], with [a rubber|a chunky, grippy] outsole. Heel [2.5|3|3.5] cm."],
    "SUEDE", "Solid 1", lead=[("Yellowish Brown", 0.5)],
    slots={"mat": {"suede": "suede", "leather": "leather",
                   "*": ["suede", "leather", "imitation leather"]},
           "fastening": {"chelsea": "elasticated side panels",
                         "*": "front lacing"}})

fam("Sandals", ["F_shoes"], 2,
    ["sandals", "leather slides"],
    ["<Head> in [imitation leather|leather] with <strap>, a moulded footbed and a rubber "
     "outsole."],
    "SHOES", "Solid 1",
    slots={"strap": {"slides": "a wide strap over the foot", "*": "adjustable straps"}})

fam("Other shoe", ["F_shoes"], 3,
    ["loafers", "derby shoes", "leather loafers"],
    ["<Head> in <mat> with <front> and [leather linings|fabric linings]. Rubber soles."],
    "SHOES", "Solid 1",
    slots={"mat": {"leather": "leather", "*": ["leather", "suede"]},
           "front": {"derby": "lacing at the front", "*": "a strap across the front"}})

fam("Hat/beanie", ["F_acc"], 3,
    ["beanie", "fine-knit beanie", "wool-blend beanie"],
    ["Beanie in a <pat><mat> with a wide turn-up."],
    "MEN", "Solid 3; Melange 1",
    slots={"mat": {"fine": "fine knit", "wool": "soft wool blend",
                   "*": "soft rib knit"}})

fam("Scarf", ["F_acc"], 3,
    ["wool scarf", "woven scarf", "rib-knit scarf"],
    ["Scarf in <pat><mat> with [fringes at the short ends|ribbed edges]. Size approx. "
     "[30x180|40x200] cm."],
    "MEN", "Solid 2; Check 2; Melange 1",
    slots={"mat": {"rib": "a rib knit", "wool": "a soft wool blend",
                   "*": "a soft weave"}})

fam("Belt", ["F_belts"], 3,
    ["leather belt", "canvas belt", "reversible leather belt"],
    ["Belt made from <mat>, with a [brushed-metal|matt metal] buckle. Width [3|3.5|4] "
     "cm."],
    "ACC", "Solid 1", ncol={1: 3, 2: 2},
    slots={"mat": {"reversible": "leather, reversible", "canvas": "cotton canvas",
                   "*": "grained leather"}})

fam("Tie", ["F_small_acc"], 3,
    ["silk tie", "narrow tie", "knitted tie"],
    ["Tie in <pat><mat>. Width <width> cm."],
    "SUIT", "Solid 3; Stripe 1; Dot 1",
    slots={"mat": {"silk": "silk", "knitted": "a fine knit",
                   "*": ["woven fabric", "silk"]},
           "width": {"narrow": "5", "*": ["6", "7"]}})

fam("Backpack", ["F_bags", "D_bags"], 3,
    ["backpack", "roll-top backpack", "water-repellent backpack"],
    ['Backpack in <mat> with <opening>, padded shoulder straps and [a padded laptop '
     'compartment for laptops up to 15"|an outer pocket]. Size [30x12x42|28x14x45] cm.'],
    "OUTDOOR", "Solid 1",
    slots={"mat": {"water": "water-repellent fabric",
                   "*": ["water-repellent fabric", "cotton canvas", "nylon"]},
           "opening": {"roll-top": "a roll-top opening", "*": "a zip"}})

fam("Gloves", ["F_acc"], 1,
    ["leather gloves"],
    ["Gloves in soft leather with a [fleece|knitted] lining."],
    "ACC", "Solid 1")

# --- Baby (G) -------------------------------------------------------------
fam("Bodysuit", ["G_basics", "G_basics", "G_basics", "G_newborn", "G_girl_jersey",
                 "G_boy_jersey"], 15,
    ["5-pack bodysuits", "long-sleeved bodysuit", "short-sleeved bodysuits",
     "wrapover bodysuit", "cotton bodysuit", "2-pack bodysuits", "baby bodysuit"],
    ["<Noun> in soft, <pat>organic cotton jersey with <opening> and press-studs at the "
     "crotch. <sleeves>."],
    "BABY", "Solid 4; Stripe 3; All over pattern 3; Placement print 1; Dot 1",
    slots={"opening": {"wrapover": "a wrapover front fastened with press-studs",
                       "*": ["envelope shoulders", "press-studs at one shoulder"]},
           "sleeves": {"short-sleeved": "Short sleeves",
                       "long-sleeved": "Long sleeves with fold-down cuffs on the "
                                       "smallest sizes",
                       "*": ["Long sleeves", "Short sleeves",
                             "Long sleeves with fold-down cuffs on the smallest sizes"]}})

fam("Garment Set", ["G_newborn", "G_girl_jersey", "G_boy_jersey"], 6,
    ["2-piece set", "top and leggings set", "cotton set", "knitted set"],
    ["Set of <pieces> made from <pat><mat>. [The top has press-studs at one shoulder|The top "
     "has envelope shoulders] and the [bottoms have an elasticated waist|leggings have "
     "foot straps]."],
    "BABY", "Solid 3; Stripe 2; All over pattern 2; Placement print 1",
    slots={"mat": {"knitted": "a soft cotton knit",
                   "*": ["soft organic cotton jersey", "ribbed cotton jersey"]},
           "pieces": {"leggings": "a top and leggings",
                      "*": ["a top and trousers", "a cardigan and leggings",
                            "a bodysuit and shorts"]}})

fam("Jumpsuit/Playsuit", ["G_newborn", "G_basics", "G_boy_woven", "G_girl_woven"], 5,
    ["all-in-one suit", "romper suit", "dungaree romper"],
    ["<Noun> in <pat><mat> with <front> and <sleeves>."],
    "BABY", "Solid 3; Stripe 1; All over pattern 1",
    slots={"mat": {"dungaree": "cotton twill",
                   "*": ["soft organic cotton jersey", "ribbed cotton jersey",
                         "cotton velour"]},
           "front": {"dungaree": "a bib, press-studs at the crotch",
                     "*": ["press-studs down the front", "press-studs at the crotch"]},
           "sleeves": {"dungaree": "adjustable shoulder straps",
                       "*": ["long sleeves", "short sleeves"]}})

fam("Pyjama jumpsuit/playsuit", ["G_night"], 4,
    ["sleepsuit", "2-pack sleepsuits", "zip-up sleepsuit"],
    ["<Noun> in soft <pat>cotton jersey with <front>, long sleeves and feet. [Fold-down "
     "cuffs on the smallest sizes.|]"],
    "BABY", "Solid 2; All over pattern 2; Stripe 1",
    slots={"front": {"zip": "a zip down the front",
                     "*": ["a zip down the front", "press-studs down the front"]}})

fam("Dress", ["G_girl_woven", "G_girl_jersey"], 5,
    ["baby dress", "cotton dress", "smocked dress"],
    ["Dress in <pat><mat> with [a round neckline|a collar], [short puff sleeves|long "
     "sleeves|frilled shoulder straps] and [buttons at the back|press-studs at the back]. "
     "[Matching briefs included.|]"],
    "BABY", "Solid 2; All over pattern 2; Dot 1; Check 1",
    slots={"mat": {"smocked": "woven cotton with smocking at the chest",
                   "*": ["woven cotton", "soft cotton jersey", "cotton muslin"]}})

fam("Trousers", ["G_boy_woven", "G_basics", "G_boy_jersey", "G_girl_jersey"], 6,
    ["pull-on trousers", "baby joggers", "2-pack trousers", "corduroy trousers"],
    ["<Head> in <pat><mat> with [an elasticated waist|a wide ribbed waist] and [ribbed "
     "hems|elasticated hems]."],
    "BABY", "Solid 3; Melange 1; Stripe 1",
    slots={"mat": {"corduroy": "soft corduroy", "joggers": "sweatshirt fabric",
                   "*": ["soft cotton jersey", "sweatshirt fabric", "cotton twill"]}})

fam("Leggings/Tights", ["G_girl_jersey", "G_basics"], 3,
    ["leggings", "2-pack leggings"],
    ["<Noun> made from soft, <pat>organic cotton jersey, with a [soft|wide] elastic "
     "waistband[ and feet|]."],
    "BABY", "Solid 2; All over pattern 1; Stripe 1")

fam("Cardigan", ["G_girl_knit", "G_boy_knit"], 4,
    ["baby cardigan", "fine-knit cardigan", "cable-knit cardigan"],
    ["Cardigan in a <pat><knitstyle>[soft cotton|cotton blend|wool blend] with buttons "
     "down the front and ribbing at the cuffs and hem."],
    "BABY", "Solid 3; Other structure 1; Melange 1", knit=True)

fam("T-shirt", ["G_boy_jersey", "G_girl_jersey"], 4,
    ["baby T-shirt", "2-pack T-shirts"],
    ["<Noun> in soft <pat>cotton jersey with press-studs at one shoulder."],
    "BABY", "Solid 1; Front print 2; Stripe 1")

fam("Sweater", ["G_boy_jersey", "G_boy_knit", "G_girl_knit"], 3,
    ["sweatshirt", "knitted jumper"],
    ["<Noun> in <pat><mat> with press-studs at one shoulder and ribbing at the cuffs and "
     "hem."],
    "BABY", "Solid 2; Placement print 1; Melange 1",
    slots={"mat": {"knitted": "a soft cotton knit", "*": "soft sweatshirt fabric"}})

fam("Hat/beanie", ["G_acc", "G_acc"], 3,
    ["baby hat", "knitted hat", "jersey hat"],
    ["Hat in <pat><mat> <detail>."],
    "BABY", "Solid 2; Stripe 1",
    slots={"mat": {"knitted": "a soft, fine knit", "jersey": "soft cotton jersey",
                   "*": ["a soft, fine knit", "a rib knit"]},
           "detail": ["with ties under the chin", "with a turn-up"]})

fam("Hat/brim", ["G_acc"], 2,
    ["sun hat", "bucket hat"],
    ["<Noun> in [cotton twill|woven cotton] with a brim and a tie under the chin."],
    "BABY", "Solid 2; All over pattern 1")

fam("Socks", ["G_socks"], 3,
    ["5-pack baby socks", "anti-slip socks"],
    ["<Noun> in a soft cotton blend with <detail>."],
    "BABY", "Solid 2; Stripe 1",
    slots={"detail": {"anti-slip": "anti-slip protection on the soles",
                      "*": "ribbed tops"}})

fam("Underwear Tights", ["G_socks"], 2,
    ["baby tights", "2-pack tights"],
    ["Soft, fine-knit tights made from a cotton blend, with a comfortable elastic "
     "waistband[ and a reinforced toe|]."],
    "BABY", "Solid 2; Other structure 1")

fam("Outdoor overall", ["G_boy_outdoor", "G_girl_outdoor"], 5,
    ["padded overall", "snowsuit", "fleece all-in-one", "water-repellent overall"],
    ["All-in-one in <mat>. [Lined hood|Hood with a fleece lining], a zip down the front "
     "and [fold-over mittens and feet|foot straps]."],
    "BABY", "Solid 1", lead=[("Dark Blue", 0.3)],
    slots={"mat": {"fleece": "soft fleece", "padded": "padded, quilted fabric",
                   "*": "a water-repellent shell with padding"}})

fam("Jacket", ["G_boy_outdoor", "G_girl_outdoor"], 3,
    ["baby padded jacket", "baby rain jacket"],
    ["Jacket in a water-repellent [shell|coated fabric] with <lining>, a hood, a zip "
     "down the front and [elasticated cuffs|ribbed cuffs]."],
    "RAIN", "Solid 1", lead=[("Yellow", 0.5)],
    slots={"lining": {"padded": "padding", "*": ["a fleece lining", "a jersey lining"]}})

fam("Sneakers", ["G_shoes"], 2,
    ["baby trainers", "soft trainers"],
    ["Trainers in [canvas|imitation leather] with a hook and loop fastening and soft, "
     "flexible soles."],
    "BABY", "Solid 1")

fam("Sandals", ["G_shoes"], 2,
    ["baby sandals", "soft sandals"],
    ["Sandals in [imitation leather|soft fabric] with a hook and loop fastening and "
     "flexible rubber soles."],
    "BABY", "Solid 1")

# --- Children (H, I, J) ---------------------------------------------------
fam("Trousers", ["H_boy_basic", "H_boy_basic", "H_boy_jersey", "I_boy_basic",
                 "I_boy_jersey"], 11,
    ["joggers", "jogger trousers", "sweatpants", "cargo joggers", "2-pack joggers"],
    ["<Noun> made from soft <pat><mat>. [Elastic drawstring waist|Adjustable elastic "
     "waist with a drawstring], <pockets> and ribbed cuffs at the hems.",
     "<Noun> in <pat><mat> with [a ribbed, elasticated waist|an elasticated waist] and "
     "[ribbed hems|tapered legs]. [Reinforced knees.|Extra-soft inside.|]"],
    "JOGGER_GREY", "Melange 4; Solid 3", lead=[("Grey", 0.9), ("Dark Grey", 0.3)],
    slots={"mat": ["sweatshirt fabric", "cotton-blend sweatshirt fabric with a brushed "
                   "inside", "fleece", "cotton jersey"],
           "pockets": {"cargo": "side pockets and flap pockets on the legs",
                       "*": ["side pockets", "side pockets and one back pocket"]}})

fam("T-shirt", ["H_boy_jersey", "H_boy_jersey", "I_boy_jersey", "H_boy_basic"], 11,
    ["T-shirt", "printed T-shirt", "3-pack T-shirts", "long-sleeved T-shirt"],
    ["<Noun> in soft <pat>cotton jersey with [a round, rib-trimmed neckline|a round "
     "neckline] and <sleeves>."],
    "KIDS", "Front print 4; Stripe 2; Solid 2; Placement print 1",
    slots={"sleeves": {"long-sleeved": "long sleeves", "*": "short sleeves"}})

fam("Trousers", ["H_boy_denim", "I_boy_denim"], 6,
    ["Slim Fit jeans", "Relaxed Fit jeans", "Regular Fit jeans", "Skinny Fit jeans"],
    ["Five-pocket jeans made from [washed|stretch|soft] denim, with an adjustable "
     "elastic waist, zip fly with a button and <leg>. [Reinforced knees.|]"],
    "DENIM", "Denim 1")

fam("Shirt", ["H_boy_shirt", "I_boy_shirt"], 5,
    ["shirt", "flannel shirt", "short-sleeved shirt", "cotton shirt"],
    ["Shirt in <pat><mat> with a [turn-down collar|resort collar], buttons down the "
     "front, <sleeves> and [a chest pocket|a rounded hem]."],
    "KIDS", "Check 2; Solid 2; Stripe 1",
    slots={"mat": {"flannel": "cotton flannel", "cotton": "cotton poplin",
                   "*": ["cotton poplin", "a linen blend", "Oxford cotton"]},
           "sleeves": {"short-sleeved": "short sleeves",
                       "*": ["long sleeves", "short sleeves"]}})

fam("Hoodie", ["H_boy_jersey", "I_boy_jersey", "H_girl_jersey", "I_girl_jersey"], 6,
    ["hoodie", "printed hoodie", "zip-through hoodie"],
    ["Hoodie in <pat>[sweatshirt fabric with a soft brushed inside|cotton-blend "
     "sweatshirt fabric], with a [lined hood|drawstring hood], <front> and ribbing at "
     "the cuffs and hem."],
    "KIDS", "Solid 2; Melange 2; Front print 2",
    slots={"front": {"zip": "a zip down the front", "*": "a kangaroo pocket"}})

fam("Sweater", ["H_boy_knit", "I_boy_knit", "H_girl_knit", "I_girl_knit"], 6,
    ["jumper", "fine-knit jumper", "cable-knit jumper", "jacquard jumper"],
    ["Jumper in a <pat><knitstyle>[soft cotton blend|cotton and wool blend] with [a "
     "round neckline|a collar] and ribbing at the neckline, cuffs and hem."],
    "KIDS", "Solid 2; Stripe 1; Melange 1", knit=True)

fam("Shorts", ["H_boy_shorts", "I_boy_shorts"], 5,
    ["shorts", "cargo shorts", "sweatshorts", "chino shorts"],
    ["Shorts in <pat><mat> with an [adjustable elasticated waist|elasticated drawstring "
     "waist] and <pockets>."],
    "KIDS", "Solid 3; Check 1; Melange 1",
    slots={"mat": {"sweat": "sweatshirt fabric", "chino": "cotton twill",
                   "cargo": "ripstop", "*": ["cotton twill", "ripstop"]},
           "pockets": {"cargo": "cargo pockets", "*": "side pockets"}})

fam("Trousers", ["H_boy_trouser", "I_boy_trouser", "H_girl_trouser", "I_girl_trouser"], 5,
    ["chinos", "cargo trousers", "twill trousers", "corduroy trousers"],
    ["<Head> in <pat><mat> with an adjustable elasticated waist, zip fly and <pockets> "
     "and <leg>."],
    "KIDS", "Solid 4; Check 1",
    slots={"mat": {"corduroy": "corduroy", "cargo": "ripstop",
                   "*": "cotton twill"},
           "pockets": {"cargo": "cargo pockets", "*": "side pockets"}})

fam("Dress", ["H_girl_dresses", "H_girl_dresses", "H_girl_jersey", "I_girl_dresses",
              "I_girl_jersey"], 13,
    ["tulle dress", "jersey dress", "party dress", "smocked dress", "printed dress",
     "sequined dress", "summer dress"],
    ["Dress in <pat><mat> with [a round neckline|a square neckline|a collar], [short "
     "puff sleeves|long sleeves|frilled shoulder straps] and a <skirt> skirt. [Lined.|"
     "Unlined.|]",
     "Dress in <pat><mat> with [a bow at the back|a sash at the waist|buttons at the "
     "back] and a <skirt> skirt."],
    "KIDS", "Solid 3; All over pattern 3; Sequin 1; Dot 1; Stripe 1",
    lead=[("Red", 0.25)],
    slots={"mat": {"tulle": "tulle", "jersey": "soft cotton jersey",
                   "smocked": "woven cotton with a smocked bodice",
                   "sequin": "tulle with sequins",
                   "summer": ["woven cotton", "cotton seersucker"],
                   "*": ["soft cotton jersey", "woven cotton", "velour", "tulle"]},
           "skirt": {"tulle": "layered tulle",
                     "*": ["flared", "tiered", "gathered"]}})

fam("Top", ["H_girl_jersey", "I_girl_jersey", "H_girl_basic", "I_girl_basic"], 11,
    ["top", "long-sleeved top", "printed top", "ribbed top", "3-pack tops"],
    ["<Noun> in soft <pat><mat> with [a round neckline|a frill-trimmed neckline] and "
     "<sleeves>."],
    "KIDS", "Solid 3; Front print 3; Stripe 2; Sequin 1",
    slots={"mat": {"ribbed": "ribbed cotton jersey", "*": "cotton jersey"},
           "sleeves": {"long-sleeved": "long sleeves",
                       "*": ["long sleeves", "short sleeves", "frilled sleeves"]}})

fam("Leggings/Tights", ["H_girl_basic", "I_girl_basic", "H_girl_jersey"], 5,
    ["leggings", "2-pack leggings", "flared leggings"],
    ["<Noun> made from soft, <pat>stretchy cotton jersey, with a [soft|wide] elastic "
     "waistband."],
    "KIDS", "Solid 3; All over pattern 1; Glittering/Metallic 1")

fam("Trousers", ["H_girl_denim", "I_girl_denim"], 5,
    ["Skinny Fit jeans", "Wide Leg jeans", "Flare Leg jeans", "Straight Leg jeans"],
    ["Five-pocket jeans made from [washed|soft, stretch] denim, with an adjustable "
     "elastic waist, zip fly with a button and <leg>."],
    "DENIM", "Denim 1")

fam("Skirt", ["H_girl_dresses", "I_girl_dresses"], 4,
    ["tulle skirt", "pleated skirt", "jersey skirt"],
    ["Skirt in <pat><mat> with an elasticated waist and <detail>."],
    "KIDS", "Solid 3; Glittering/Metallic 1; Check 1",
    slots={"mat": {"tulle": "tulle", "pleated": "woven fabric", "jersey": "soft jersey",
                   "*": "soft jersey"},
           "detail": {"tulle": "several layers", "pleated": "soft pleats",
                      "*": "a flared shape"}})

fam("Cardigan", ["H_girl_knit", "I_girl_knit"], 5,
    ["cardigan", "fine-knit cardigan", "pointelle cardigan"],
    ["Cardigan in a <pat><knitstyle>[soft cotton blend|cotton blend|wool blend] with "
     "buttons down the front and ribbing at the cuffs and hem."],
    "KIDS", "Solid 3; Other structure 1; Melange 1", knit=True)

fam("Trousers", ["H_girl_basic", "I_girl_basic"], 3,
    ["joggers", "sweatpants"],
    ["<Noun> made from soft <pat>sweatshirt fabric, with a drawstring in the elastic "
     "waist, pockets in the side seams and ribbed cuffs."],
    "KIDS", "Solid 2; Melange 2")

fam("Jacket", ["H_boy_outdoor", "H_girl_outdoor", "I_boy_outdoor", "I_girl_outdoor"], 6,
    ["rain jacket", "water-repellent rain jacket", "hooded rain jacket"],
    ["Rain jacket in a water-repellent [shell|PU-coated fabric] with taped seams, a "
     "[lined hood|detachable hood], [press-studs|a zip] down the front and [elastication "
     "at the cuffs|reflective details]. [Unlined.|Fleece lining.]"],
    "RAIN", "Solid 3; All over pattern 1", lead=[("Yellow", 0.8)])

fam("Jacket", ["H_boy_outdoor", "H_girl_outdoor", "I_boy_outdoor", "I_girl_outdoor"], 6,
    ["padded jacket", "puffer jacket", "ski jacket", "softshell jacket"],
    ["Jacket in <mat> with <lining>, a [lined hood|detachable hood], a zip down the "
     "front and [zipped side pockets|reflective details]."],
    "OUTDOOR", "Solid 4; Colour blocking 1",
    slots={"mat": {"softshell": "windproof softshell",
                   "*": "a water-repellent shell"},
           "lining": {"softshell": "a fleece lining",
                      "ski": "padding and a snow skirt inside",
                      "*": "padding made from recycled polyester"}})

fam("Outdoor trousers", ["H_boy_outdoor", "H_girl_outdoor", "I_boy_outdoor",
                         "I_girl_outdoor", "G_boy_outdoor"], 6,
    ["ski trousers", "padded outdoor trousers", "rain trousers",
     "water-repellent trousers"],
    ["Trousers in a water-repellent [shell|coated fabric] with <inside>, [adjustable "
     "shoulder straps|an elasticated waist] and [foot straps|reinforced hems|reflective "
     "details]."],
    "OUTDOOR", "Solid 1",
    slots={"inside": {"ski": "padding", "padded": "padding", "rain": "taped seams",
                      "*": ["a fleece lining", "taped seams"]}})

fam("Garment Set", ["I_boy_outdoor", "I_girl_outdoor"], 2,
    ["rain set", "snow set"],
    ["Set with a jacket and trousers in a water-repellent shell. The jacket has <lining> "
     "and a hood; the trousers have [braces|an elastic waist] and foot straps."],
    "OUTDOOR", "Solid 1",
    slots={"lining": {"snow": "a padded lining", "*": "taped seams"}})

fam("Pyjama set", ["H_boy_uwnw", "H_girl_uwnw", "I_boy_uwnw", "I_girl_uwnw"], 8,
    ["pyjamas", "printed pyjamas", "2-pack pyjamas", "fleece pyjamas"],
    ["Pyjamas in soft <pat><mat>. Top with [long sleeves|short sleeves] and bottoms with "
     "an elasticated waist and [ribbed hems|straight legs]."],
    "KIDS", "Front print 2; All over pattern 2; Stripe 1; Solid 1",
    slots={"mat": {"fleece": "fleece", "*": ["cotton jersey", "organic cotton jersey"]}})

fam("Underwear bottom", ["H_boy_uwnw", "H_girl_uwnw", "I_boy_uwnw", "I_girl_uwnw"], 4,
    ["5-pack boxer shorts", "7-pack briefs", "5-pack hipster briefs"],
    ["<Head> in soft <pat>cotton jersey with a soft elastic waistband."],
    "KIDS", "Solid 1; Stripe 1; All over pattern 1")

fam("Socks", ["H_boy_socks", "H_girl_st", "I_girl_st"], 3,
    ["5-pack socks", "10-pack socks", "anti-slip socks"],
    ["<Noun> in a soft <pat>cotton blend with <detail>."],
    "KIDS", "Solid 2; Stripe 1; Jacquard 1",
    slots={"detail": {"anti-slip": "anti-slip protection on the soles",
                      "*": "ribbed tops"}})

fam("Underwear Tights", ["H_girl_st", "I_girl_st"], 2,
    ["fine-knit tights", "2-pack tights"],
    ["<Noun> made from a soft <pat>cotton blend, with a comfortable elastic waistband "
     "and [a reinforced toe|flat toe seams]."],
    "KIDS", "Solid 2; Other structure 1")

fam("Sneakers", ["J_kboy_shoes", "J_yboy_shoes", "J_kgirl_shoes", "J_ygirl_shoes"], 6,
    ["trainers", "light-up trainers", "canvas trainers", "glittery trainers"],
    ["Trainers in <mat> with [hook and loop fastenings|elastic laces|lacing at the "
     "front], [a padded top edge|a loop at the back] and rubber soles.<extra>"],
    "KIDS", "Solid 3; Glittering/Metallic 1; Colour blocking 1",
    slots={"mat": {"canvas": "cotton canvas", "glitter": "glittery imitation leather",
                   "*": ["imitation leather", "mesh"]},
           "extra": {"light-up": " Lights in the soles that flash with every step.",
                     "*": ""}})

fam("Boots", ["J_kboy_shoes", "J_kgirl_shoes", "J_ygirl_shoes", "G_shoes"], 4,
    ["wellington boots", "warm-lined boots", "rubber boots"],
    ["Boots in <mat> with [a loop at the back|hook and loop fastenings] and <lining>."],
    "RAIN", "Solid 2; Dot 1", lead=[("Yellow", 0.5)],
    slots={"mat": {"warm": "water-repellent fabric", "*": "natural rubber"},
           "lining": {"warm": "a warm lining", "*": "a removable fleece sock"}})

fam("Sandals", ["J_kboy_shoes", "J_kgirl_shoes", "J_ygirl_shoes"], 3,
    ["sandals", "sports sandals"],
    ["Sandals in <mat> with hook and loop fastenings and rubber soles."],
    "KIDS", "Solid 1",
    slots={"mat": {"sports": "webbing", "*": "imitation leather"}})

fam("Swimsuit", ["J_kgirl_swim", "J_ygirl_swim"], 3,
    ["swimsuit", "frilled swimsuit", "UPF 50 swimsuit"],
    ["Swimsuit with <detail> and a lining at the front.<upf>"],
    "SWIM", "Solid 1; All over pattern 2",
    slots={"detail": {"frilled": "frills at the shoulders",
                      "*": ["a racer back", "crossover back straps"]},
           "upf": {"upf": " UPF 50.", "*": ""}})

fam("Swimwear bottom", ["J_kboy_swim"], 3,
    ["swim shorts", "printed swim shorts"],
    ["Swim shorts in quick-drying <pat>fabric with an elasticated drawstring waist and a "
     "mesh inner brief."],
    "SWIM", "Solid 1; All over pattern 2")

fam("Hat/beanie", ["J_kboy_bigacc", "J_kgirl_bigacc"], 3,
    ["beanie", "fleece-lined hat"],
    ["Hat in a <pat>[soft rib knit|fine knit] with <detail>."],
    "KIDS", "Solid 2; Stripe 1",
    slots={"detail": {"fleece": "a fleece lining", "*": "a pompom on top"}})

fam("Cap/peaked", ["J_kboy_bigacc", "J_kgirl_bigacc"], 2,
    ["cap", "printed cap"],
    ["Cap in cotton twill with an adjustable strap at the back."],
    "KIDS", "Solid 1; Placement print 1")

fam("Hat/brim", ["J_kgirl_bigacc", "J_kboy_bigacc"], 2,
    ["sun hat", "bucket hat"],
    ["Hat in [cotton twill|paper straw] with a brim and an adjustable cord."],
    "KIDS", "Solid 1; All over pattern 1")

fam("Scarf", ["J_kgirl_bigacc", "J_kboy_bigacc"], 2,
    ["scarf", "tube scarf"],
    ["<Noun> in a <pat>[soft fleece|fine knit]."],
    "KIDS", "Solid 1; Stripe 1")

fam("Bag", ["J_girl_smallacc"], 2,
    ["backpack", "shoulder bag"],
    ["<Noun> in [cotton canvas|imitation leather|glittery fabric] with [a zip|a flap] and "
     "<strap>."],
    "KIDS", "Solid 1; Glittering/Metallic 1",
    slots={"strap": {"backpack": "padded shoulder straps",
                     "*": "an adjustable shoulder strap"}})

# --- Sport ------------------------------------------------------------------
fam("Bra", ["S_l_bras"], 12,
    ["sports bra", "medium support sports bra", "high support sports bra",
     "light support sports bra", "seamless sports bra"],
    ["Sports bra in fast-drying functional fabric [made partly from recycled polyester|"
     "with a soft, brushed inside|with breathable mesh panels]. [Racer back|Crossover straps at the back|"
     "Adjustable shoulder straps], [removable inserts|moulded cups] and [a wide elastic "
     "band at the hem|a wide, ribbed hem]. <support>."],
    "SPORT", "Solid 5; Colour blocking 1; Melange 1",
    slots={"support": {"high": "High support", "medium": "Medium support",
                       "light": "Light support",
                       "*": ["Medium support", "High support", "Light support"]}})

fam("Leggings/Tights", ["S_l_bottoms", "S_l_bottoms", "S_l_bottoms", "S_l_bottoms",
                        "S_m_bottoms"], 12,
    ["running tights", "running tights", "sports tights", "high waist sports tights",
     "seamless tights", "7/8-length sports tights", "training tights"],
    ["<Noun> in fast-drying functional fabric [for running and training|for running, "
     "yoga and the gym|designed for running] with a <waist> waist, [a concealed key "
     "pocket at the back|a side pocket|reflective details] and [flatlock seams|ribbed "
     "hems]. [Made partly from recycled polyester.|]"],
    "SPORT", "Solid 6; Melange 1; Colour blocking 1",
    slots={"waist": {"high": "high", "*": ["high", "wide"]}})

fam("Vest top", ["S_l_bras", "S_m_woven"], 4,
    ["sports vest top", "running vest top", "seamless sports top"],
    ["Sports top in fast-drying functional fabric with [a racer back|a round neckline] "
     "and [mesh sections at the back|flatlock seams]."],
    "SPORT", "Solid 3; Melange 1")

fam("T-shirt", ["S_l_bras", "S_m_woven", "S_m_woven", "S_m_bottoms"], 10,
    ["sports T-shirt", "running T-shirt", "training top", "DryMove-style T-shirt"],
    ["Sports top made from fast-drying functional fabric[, partly recycled polyester|"
     " with mesh panels]. Round neckline, [short raglan sleeves|short sleeves] and "
     "[reflective details|a slightly longer back|flatlock seams]."],
    "SPORT", "Solid 5; Melange 2; Colour blocking 1")

fam("Top", ["S_l_bras", "S_k_tops_g"], 4,
    ["long-sleeved running top", "half-zip sports top"],
    ["Sports top in fast-drying functional fabric with <detail> and flatlock seams."],
    "SPORT", "Solid 3; Melange 1",
    slots={"detail": {"half-zip": "a zip at the top",
                      "*": "long sleeves and thumbholes at the cuffs"}})

fam("Jacket", ["S_l_woven", "S_m_tops", "S_m_tops"], 9,
    ["running jacket", "wind jacket", "ski jacket", "padded sports jacket",
     "training jacket", "shell jacket"],
    ["Sports jacket in <mat> with a [stand-up collar|hood], a zip down the front, "
     "[zipped side pockets|side pockets] and [reflective details|elastication at the "
     "cuffs]. <lining>"],
    "SPORT", "Solid 4; Colour blocking 1",
    slots={"mat": {"ski": "a padded, water-repellent shell",
                   "padded": "a padded, water-repellent shell",
                   "wind": "windproof functional fabric",
                   "shell": "a water-repellent shell",
                   "*": ["windproof functional fabric", "a water-repellent shell"]},
           "lining": {"padded": "Lined.", "ski": "Snow skirt inside. Lined.",
                      "*": ["Mesh lining.", "Unlined."]}})

fam("Outdoor trousers", ["S_l_woven", "S_m_tops"], 4,
    ["ski trousers", "padded ski trousers", "outdoor trousers"],
    ["Trousers in a <padded>water-repellent shell with [taped seams|a breathable "
     "membrane], [adjustable braces|an adjustable waist] and [zipped pockets|snow gaiters "
     "at the hems]."],
    "SPORT", "Solid 1",
    slots={"padded": {"padded": "padded, ", "ski": ["padded, ", ""], "*": ""}})

fam("Hoodie", ["S_m_tops", "S_l_bras"], 3,
    ["sports hoodie", "training hoodie"],
    ["Sports hoodie in <pat>fast-drying sweatshirt fabric with a [drawstring hood|lined "
     "hood] and a kangaroo pocket."],
    "SPORT", "Solid 2; Melange 1")

fam("Shorts", ["S_m_woven", "S_m_woven", "S_k_bottoms_g"], 7,
    ["sports shorts", "running shorts", "training shorts", "2-in-1 running shorts"],
    ["Sports shorts in fast-drying functional fabric with an elasticated drawstring "
     "waist, [a concealed key pocket|zipped side pockets] and <inner>."],
    "SPORT", "Solid 4; Colour blocking 1",
    slots={"inner": {"2-in-1": "inner tights", "*": ["an inner brief", "side slits"]}})

fam("Trousers", ["S_m_tops", "S_k_bottoms_b", "S_k_tops_g"], 4,
    ["track pants", "training trousers"],
    ["Sports trousers in [woven|fast-drying] functional fabric with an elasticated "
     "drawstring waist, zipped side pockets and [zips at the hems|tapered legs]."],
    "SPORT", "Solid 3")

fam("T-shirt", ["S_k_tops_b", "S_k_tops_g"], 3,
    ["kids' sports T-shirt", "kids' training top"],
    ["Sports top in fast-drying functional fabric with a round neckline and short "
     "sleeves."],
    "SPORT", "Solid 2; Front print 1")

fam("Leggings/Tights", ["S_k_bottoms_g"], 2,
    ["kids' sports tights"],
    ["Sports tights in fast-drying functional fabric with a wide elasticated waist."],
    "SPORT", "Solid 2; All over pattern 1")

fam("Bag", ["S_l_acc", "S_m_acc"], 2,
    ["sports bag", "gym bag"],
    ["Sports bag in water-repellent fabric with a zip, [an adjustable shoulder strap|two "
     "handles] and a separate shoe compartment."],
    "SPORT", "Solid 1")

fam("Socks", ["S_l_acc", "S_m_acc"], 3,
    ["3-pack sports socks", "running socks"],
    ["Sports socks in fast-drying functional fabric with cushioned soles and [ribbed "
     "tops|reinforced heels]."],
    "SPORT", "Solid 2")

fam("Cap/peaked", ["S_m_acc", "S_l_acc"], 2,
    ["running cap", "sports cap"],
    ["Sports cap in lightweight functional fabric with an adjustable strap at the back."],
    "SPORT", "Solid 1")

# ---------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------

FIT_WORDS = ["Slim Fit", "Regular Fit", "Relaxed Fit", "Skinny Fit", "Loose Fit"]

LEG_BY_WORD = [("skinny", "skinny legs"), ("slim", "slim legs"),
               ("straight", "straight legs"), ("loose", "loose, straight legs"),
               ("baggy", "wide, baggy legs"), ("wide", "wide legs"),
               ("flare", "flared legs"), ("bootcut", "bootcut legs"),
               ("taper", "tapered legs"), ("mom", "tapered legs"),
               ("barrel", "curved, wide legs"), ("relaxed", "relaxed, straight legs"),
               ("regular", "straight legs"), ("cigarette", "slim, ankle-length legs"),
               ("cargo", "loose, straight legs")]
LEG_DEFAULT = ["straight legs", "wide legs", "tapered legs", "slim legs"]

BRACKET = re.compile(r"\[([^\[\]]*)\]")
SLOT = re.compile(r"<(\w+)>")


def weighted(rng, items):
    """Pick a key from {key: weight} (insertion order keeps it deterministic)."""
    total = sum(items.values())
    x = rng.random() * total
    for key, w in items.items():
        x -= w
        if x < 0:
            return key
    return key


def derive_fit(noun, rng):
    for fit in FIT_WORDS:
        if fit.lower() in noun.lower():
            return fit[0] + fit[1:].lower() + "."
    return rng.choice(["Regular fit.", "Slim fit.", "Relaxed fit.", "Regular fit.", ""])


def derive_leg(noun, rng):
    low = noun.lower()
    for word, leg in LEG_BY_WORD:
        if word in low:
            return leg
    return rng.choice(LEG_DEFAULT)


def expand(rng, text, slots):
    def slot(m):
        val = slots[m.group(1)]
        if isinstance(val, dict):  # value chosen by a keyword of the product noun
            noun = slots["noun"].lower()
            val = next((v for k, v in val.items() if k != "*" and k in noun), val["*"])
        if isinstance(val, list):
            return rng.choice(val)
        return val

    for _ in range(3):  # slot values may contain slots/brackets themselves
        text = SLOT.sub(slot, text)
    while True:
        new = BRACKET.sub(lambda m: rng.choice(m.group(1).split("|")), text, count=1)
        if new == text:
            break
        text = new
    return text


def tidy(text):
    text = re.sub(r"\s+", " ", text).strip()
    text = text.replace(" ,", ",").replace(" .", ".").replace(",,", ",")
    text = re.sub(r"\.\.(?!\.)", ".", text)
    if text:
        text = text[0].upper() + text[1:]
    return text


PAT_WORDS = sorted({w.strip() for d in (PAT_ADJ, KNIT_PAT) for ws in d.values()
                    for w in ws if w.strip()}, key=len, reverse=True)
PAT_BEFORE_ARTICLE = re.compile(r"\b(%s) (a|an) " % "|".join(map(re.escape, PAT_WORDS)))


def fix_grammar(text):
    # "striped a linen blend" -> "a striped linen blend"
    text = PAT_BEFORE_ARTICLE.sub(
        lambda m: ("an " if m.group(1)[0] in "aeiou" else "a ") + m.group(1) + " ", text)
    text = re.sub(r"\ba (?=(embroidered|organic|imitation|extra|oversized|airy|ankle)\b)",
                  "an ", text)
    text = re.sub(r"\b(\w+-knit) \w+-knit ", r"\1 ", text)  # keep one "-knit" word
    return re.sub(r"\b([\w-]+) \1\b", r"\1", text)  # "soft soft" -> "soft"


def make_description(rng, f, noun, pattern):
    slots = {"slogan": SLOGANS, "lining": LINING, "knitstyle": KNIT_STYLE}
    slots.update(f["slots"])
    slots["noun"] = noun
    slots["Noun"] = noun[0].upper() + noun[1:]
    words = noun.split()
    head = " ".join(words[-2:]) if " ".join(words[-2:]).lower() in COMPOUND_HEADS else words[-1]
    slots["Head"] = head[0].upper() + head[1:]
    slots["fit"] = derive_fit(noun, rng)
    slots["leg"] = derive_leg(noun, rng)
    pat_words = (KNIT_PAT if f["knit"] else PAT_ADJ).get(pattern) or PAT_ADJ.get(pattern, [""])
    slots["pat"] = rng.choice(pat_words)
    parts = [expand(rng, rng.choice(f["desc"]), slots)]
    if f["patsent"] and pattern in PAT_SENT:
        parts.append(expand(rng, rng.choice(PAT_SENT[pattern]), slots))
    if f["extras"] and rng.random() < 0.35:
        parts.append(expand(rng, rng.choice(f["extras"]), slots))
    return fix_grammar(tidy(" ".join(parts)))


def make_name(rng, noun, style=None):
    style = style or rng.choice(STYLE_WORDS)
    r = rng.random()
    if r < 0.12:
        return "%s %s" % (style, noun.split()[-1])  # short form, e.g. "Marlow dress"
    return "%s %s" % (style, noun)


def pick_colours(rng, f):
    k = weighted(rng, f["ncol"])
    chosen = []
    for colour, p in f["lead"]:
        if rng.random() < p and colour not in chosen:
            chosen.append(colour)
    palette = dict(f["palette"])
    k = max(k, 1)
    chosen = chosen[:k]
    k = min(k, len(palette))
    while len(chosen) < k:
        c = weighted(rng, {n: w for n, w in palette.items() if n not in chosen})
        chosen.append(c)
    return chosen


def colour_fields(rng, colour):
    code, mappings = COLOURS[colour]
    opts = {(v, m): w for v, m, w in mappings}
    v, m = weighted(rng, opts)
    return [code, colour, str(v), PERCEIVED_VALUE[v], str(m), PERCEIVED_MASTER[m]]


def build_products(rng):
    products = []
    for f in FAMILIES:
        for _ in range(f["n"]):
            noun = rng.choice(f["nouns"])
            pattern = weighted(rng, f["patterns"])
            dept = DEPTS[rng.choice(f["depts"])]
            products.append({
                "family": f, "noun": noun, "pattern": pattern, "dept": dept,
                "name": make_name(rng, noun),
                "desc": make_description(rng, f, noun, pattern),
                "colours": pick_colours(rng, f),
            })
    rng.shuffle(products)
    # Edge case: a few non-ASCII product names.
    for word, p in zip(NON_ASCII_WORDS, rng.sample(products, len(NON_ASCII_WORDS))):
        p["name"] = make_name(rng, p["noun"], style=word)
    # Edge case: a few products with an unknown graphical appearance.
    for p in rng.sample([p for p in products if len(p["colours"]) >= 2], 4):
        p["pattern"] = "Unknown"
    return products


def build_rows():
    rng = random.Random(SEED)
    products = build_products(rng)
    rows = []
    for i, p in enumerate(products):
        product_code = "%07d" % (FIRST_PRODUCT_CODE + i)
        f = p["family"]
        type_no, group = PRODUCT_TYPES[f["ptype"]]
        ic, sec_no, sec, dep_no, dep, gg_no, gg = p["dept"]
        index_name, ig_no, ig_name = INDEXES[ic]
        variant = 0
        for colour in p["colours"]:
            variant += 1 if rng.random() < 0.8 else rng.randint(2, 4)
            rows.append([
                product_code + "%03d" % variant, product_code, p["name"],
                str(type_no), f["ptype"], group,
                str(GRAPHICS[p["pattern"]]), p["pattern"],
                *colour_fields(rng, colour),
                str(dep_no), dep, ic, index_name, str(ig_no), ig_name,
                str(sec_no), sec, str(gg_no), gg, p["desc"],
            ])
    # Edge case: a few unknown perceived colour masters (value kept) ...
    for row in rng.sample([r for r in rows if r[9] in ("Black", "White", "Off White",
                                                        "Light Grey", "Dark Grey")], 5):
        row[12], row[13] = "-1", "Unknown"
    # ... and a few rows where the whole colour is unknown.
    for row in rng.sample([r for r in rows if r[12] != "-1"], 3):
        row[8:14] = ["-1", "Unknown", "-1", "Unknown", "-1", "Unknown"]
    # Edge case: about 1% of rows without a description.
    for row in rng.sample(rows, round(len(rows) * 0.01)):
        row[24] = ""
    return rows


def render(rows):
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buf.getvalue()


# ---------------------------------------------------------------------------
# Validation (--check)
# ---------------------------------------------------------------------------


def check(path):
    problems = []
    with open(path, encoding="utf-8", newline="") as fh:
        text = fh.read()
    if text != render(build_rows()):
        problems.append("file differs from a fresh generation (re-run generate.py)")
    for bad in ("0108775015,", "0111565001,"):
        if any(line.startswith(bad) for line in text.splitlines()):
            problems.append("line starting with %s" % bad)
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    if header != HEADER:
        problems.append("header mismatch")
    rows = list(reader)
    ids = Counter(r[0] for r in rows)
    seen_codes, last_code, per_product = set(), None, {}
    for n, r in enumerate(rows, start=2):
        if len(r) != 25:
            problems.append("line %d: %d columns" % (n, len(r)))
            continue
        aid, code = r[0], r[1]
        if not (len(aid) == 10 and aid.isdigit() and aid[0] == "0" and aid[:7] == code):
            problems.append("line %d: bad article_id %r" % (n, aid))
        if code != last_code:
            if code in seen_codes:
                problems.append("line %d: product_code %s not grouped" % (n, code))
            seen_codes.add(code)
            last_code = code
        fixed = tuple(r[i] for i in range(len(r)) if i not in range(8, 14) and i not in (0, 24))
        if per_product.setdefault(code, fixed) != fixed:
            problems.append("line %d: non-colour fields differ within %s" % (n, code))
    dupes = [k for k, v in ids.items() if v > 1]
    if dupes:
        problems.append("duplicate article_ids: %s" % dupes[:5])

    def show(title, counter, top=None):
        items = counter.most_common(top)
        print("%s: %s" % (title, ", ".join("%s %d" % kv for kv in items)))

    print("rows %d, products %d, size %d bytes" % (len(rows), len(seen_codes),
                                                   len(text.encode("utf-8"))))
    show("index_group", Counter(r[19] for r in rows))
    show("index_name", Counter(r[17] for r in rows))
    show("product_group", Counter(r[5] for r in rows))
    show("product_type (top 20)", Counter(r[4] for r in rows), 20)
    show("colour_group (top 20)", Counter(r[9] for r in rows), 20)
    show("colour_master", Counter(r[13] for r in rows))
    show("graphical_appearance", Counter(r[7] for r in rows))
    show("colours per product", Counter(Counter(r[1] for r in rows).values()))
    print("edge cases: empty desc %d, desc with quotes %d, desc with commas %d, "
          "non-ASCII names %d, unknown graphical %d, unknown colour master %d, "
          "unknown colour group %d" % (
              sum(not r[24] for r in rows), sum('"' in r[24] for r in rows),
              sum("," in r[24] for r in rows), sum(not r[2].isascii() for r in rows),
              sum(r[6] == "-1" for r in rows), sum(r[12] == "-1" for r in rows),
              sum(r[8] == "-1" for r in rows)))
    if problems:
        print("PROBLEMS:")
        for p in problems[:50]:
            print("  " + p)
        return 1
    print("OK")
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true",
                    help="validate the existing articles.csv instead of writing it")
    ap.add_argument("--out", default=OUT_PATH, help="output path (default: %(default)s)")
    args = ap.parse_args(argv)
    if args.check:
        return check(args.out)
    rows = build_rows()
    with open(args.out, "w", encoding="utf-8", newline="") as fh:
        fh.write(render(rows))
    print("wrote %d rows (%d products) to %s" % (
        len(rows), len({r[1] for r in rows}), args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
