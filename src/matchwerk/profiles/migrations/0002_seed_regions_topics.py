"""Seed data: Saxony's districts and district-free cities (plus Central German neighbours)
with centroids, and a German topic taxonomy with English labels.

The data is copied here on purpose: a migration must give the same result whenever it
runs, even after engine/regions.py grows. Existing rows (same slug) are left alone, so
staff edits survive a re-run.
"""

from django.db import migrations

REGIONS = [
    # name, slug, kind, state, latitude, longitude
    ("Bautzen", "bautzen", "district", "Sachsen", 51.247, 14.290),
    ("Erzgebirgskreis", "erzgebirgskreis", "district", "Sachsen", 50.620, 12.930),
    ("Görlitz", "goerlitz", "district", "Sachsen", 51.190, 14.780),
    ("Landkreis Leipzig", "landkreis-leipzig", "district", "Sachsen", 51.190, 12.620),
    ("Meißen", "meissen", "district", "Sachsen", 51.260, 13.540),
    ("Mittelsachsen", "mittelsachsen", "district", "Sachsen", 50.960, 13.190),
    ("Nordsachsen", "nordsachsen", "district", "Sachsen", 51.510, 12.690),
    ("Sächsische Schweiz-Osterzgebirge", "saechsische-schweiz-osterzgebirge", "district", "Sachsen", 50.870, 13.860),
    ("Vogtlandkreis", "vogtlandkreis", "district", "Sachsen", 50.450, 12.200),
    ("Zwickau", "zwickau", "district", "Sachsen", 50.760, 12.560),
    ("Chemnitz", "chemnitz", "city", "Sachsen", 50.833, 12.921),
    ("Dresden", "dresden", "city", "Sachsen", 51.050, 13.738),
    ("Leipzig", "leipzig", "city", "Sachsen", 51.340, 12.375),
    ("Halle (Saale)", "halle-saale", "city", "Sachsen-Anhalt", 51.483, 11.970),
    ("Saalekreis", "saalekreis", "district", "Sachsen-Anhalt", 51.420, 11.900),
    ("Burgenlandkreis", "burgenlandkreis", "district", "Sachsen-Anhalt", 51.120, 11.950),
    ("Jena", "jena", "city", "Thüringen", 50.927, 11.586),
    ("Gera", "gera", "city", "Thüringen", 50.880, 12.080),
    ("Altenburger Land", "altenburger-land", "district", "Thüringen", 50.950, 12.400),
]

TOPICS = [
    # slug, German, English
    ("digitalisierung", "Digitalisierung", "Digitalisation"),
    ("e-commerce-vertrieb", "E-Commerce & Vertrieb", "E-commerce & sales"),
    ("datensicherheit", "Datensicherheit", "Data security"),
    ("prozesse", "Prozesse", "Processes"),
    ("marketing-kommunikation", "Marketing & Kommunikation", "Marketing & communication"),
    ("design", "Design", "Design"),
    ("kultur-veranstaltungen", "Kultur & Veranstaltungen", "Culture & events"),
    ("tourismus", "Tourismus", "Tourism"),
    ("handwerk-tradition", "Handwerk & Tradition", "Crafts & tradition"),
    ("smart-city", "Smart City", "Smart city"),
    ("mobilitaet", "Mobilität", "Mobility"),
    ("klima-energie", "Klima & Energie", "Climate & energy"),
    ("produktion-industrie-40", "Produktion/Industrie 4.0", "Production/Industry 4.0"),
    ("bildung", "Bildung", "Education"),
    ("gesundheit", "Gesundheit", "Health"),
    ("e-government", "E-Government", "E-government"),
    ("kuenstliche-intelligenz", "Künstliche Intelligenz", "Artificial intelligence"),
    ("software-apps", "Software & Apps", "Software & apps"),
    ("fachkraefte-personal", "Fachkräfte & Personal", "Skilled workers & HR"),
    ("nachhaltigkeit-kreislaufwirtschaft", "Nachhaltigkeit & Kreislaufwirtschaft", "Sustainability & circular economy"),
    ("logistik", "Logistik", "Logistics"),
    ("landwirtschaft-lebensmittel", "Landwirtschaft & Lebensmittel", "Agriculture & food"),
    ("einzelhandel", "Einzelhandel", "Retail"),
    ("medien-film-games", "Medien, Film & Games", "Media, film & games"),
    ("architektur-bauen", "Architektur & Bauen", "Architecture & construction"),
    ("finanzierung-foerderung", "Finanzierung & Förderung", "Funding & finance"),
]


def seed(apps, schema_editor):
    Region = apps.get_model("profiles", "Region")
    Topic = apps.get_model("profiles", "Topic")
    for name, slug, kind, state, latitude, longitude in REGIONS:
        if not Region.objects.filter(slug=slug).exists() and not Region.objects.filter(name=name).exists():
            Region.objects.create(name=name, slug=slug, kind=kind, state=state,
                                  latitude=latitude, longitude=longitude)
    for slug, name_de, name_en in TOPICS:
        if not Topic.objects.filter(slug=slug).exists() and not Topic.objects.filter(name_de=name_de).exists():
            Topic.objects.create(slug=slug, name_de=name_de, name_en=name_en)


def unseed(apps, schema_editor):
    """Remove the seeded rows that nothing refers to (regions are protected by organisations)."""
    Region = apps.get_model("profiles", "Region")
    Topic = apps.get_model("profiles", "Topic")
    Topic.objects.filter(slug__in=[slug for slug, *_ in TOPICS]).delete()
    Region.objects.filter(slug__in=[r[1] for r in REGIONS], organisations__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("profiles", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
