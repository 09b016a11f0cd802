"""The needs taxonomy in Spanish, as US social-service agencies say it.

The seed data writes it to ``seed_data/taxonomy_term_translations.csv`` (one row per
term and language), which ``referral seed`` loads into ``taxonomy_term_translation``
beside the sample package: HSDS 3.0 has no field for a term's name in another language.
"""

from __future__ import annotations

from referral.directory.needs_taxonomy import TERMS

LANGUAGE = "es"

# Each term: "CODE | Nombre", then its description, indented (as in needs_taxonomy).
TERMS_TABLE = """
FOOD | Alimentos
    Ayuda para conseguir suficiente comida saludable.
FOOD.PANTRY | Despensa de alimentos
    Comestibles gratis para llevar a casa.
FOOD.MEALS | Comidas calientes
    Comidas preparadas gratis que se sirven en el lugar.
FOOD.SNAP | Ayuda para solicitar SNAP
    Ayuda para solicitar SNAP (cupones de alimentos).
FOOD.WIC | WIC
    Alimentos, fórmula y consejos de nutrición para personas embarazadas, madres recientes,
    bebés y niños menores de 5 años.
FOOD.HOME_DELIVERED | Comidas a domicilio
    Comidas que se llevan a quienes no pueden hacer compras ni cocinar, a menudo personas
    mayores.
FOOD.PRODUCE | Frutas y verduras y mercados móviles
    Frutas y verduras frescas gratis o a bajo costo, desde un camión o un mercado temporal.
FOOD.CHILDREN | Comidas para niños
    Comidas de verano, mochilas de fin de semana y cenas después de la escuela para niños.
HOUSING | Vivienda
    Encontrar, mantener o reparar un hogar.
HOUSING.SHELTER | Albergue de emergencia
    Un lugar seguro para dormir esta noche.
HOUSING.SHELTER.ADULT | Albergue para adultos
    Albergue nocturno para adultos solos.
HOUSING.SHELTER.FAMILY | Albergue para familias
    Albergue donde las familias con niños se quedan juntas.
HOUSING.SHELTER.YOUTH | Albergue para jóvenes
    Albergue para jóvenes y adultos jóvenes que se fugaron de casa o no tienen hogar.
HOUSING.TRANSITIONAL | Vivienda de transición
    Vivienda por tiempo limitado, con apoyo, mientras las personas pasan a un hogar
    permanente.
HOUSING.RENT | Asistencia con la renta
    Ayuda para pagar la renta, renta atrasada o un depósito de garantía.
HOUSING.EVICTION | Prevención de desalojos
    Ayuda para inquilinos que enfrentan un desalojo.
HOUSING.SEARCH | Búsqueda y colocación de vivienda
    Ayuda para encontrar un apartamento asequible.
HOUSING.OUTREACH | Alcance en la calle
    Trabajadores de alcance que buscan y ayudan a personas que duermen a la intemperie.
HOUSING.REPAIR | Reparaciones y hogares saludables
    Reparaciones gratis o a bajo costo, eliminación de plomo y moho, adaptaciones de
    accesibilidad y aislamiento.
HOUSING.COUNSELING | Asesoría de vivienda
    Prevención de ejecución hipotecaria y asesoría para comprar la primera vivienda.
UTILITIES | Servicios públicos
    Mantener la luz, la calefacción y el agua.
UTILITIES.ENERGY | Asistencia con facturas de energía
    Ayuda para pagar las facturas de gas y electricidad.
UTILITIES.WATER | Asistencia con facturas de agua
    Ayuda para pagar las facturas de agua y alcantarillado.
UTILITIES.SHUTOFF | Prevención de cortes de servicio
    Ayuda de emergencia cuando el servicio está por cortarse o ya se cortó.
UTILITIES.CONNECTIVITY | Descuentos de teléfono e internet
    Planes de internet y servicio telefónico a bajo costo.
TRANSPORTATION | Transporte
    Llegar a donde necesita ir.
TRANSPORTATION.MEDICAL | Transporte a citas médicas
    Transporte gratis a visitas al médico, diálisis y farmacia.
TRANSPORTATION.TRANSIT | Pases y vales de transporte público
    Pasajes de autobús y tren gratis o con descuento.
TRANSPORTATION.PARATRANSIT | Transporte para personas mayores y con discapacidades
    Transporte de puerta a puerta para personas mayores y personas con discapacidades.
MONEY | Ingresos y beneficios
    Dinero, beneficios y estabilidad económica.
MONEY.BENEFITS | Inscripción en beneficios públicos
    Ayuda para solicitar asistencia en efectivo, Medicaid, SNAP y otros beneficios.
MONEY.TAX | Preparación gratuita de impuestos
    Declaración de impuestos gratis y ayuda para reclamar créditos tributarios.
MONEY.COACHING | Asesoría financiera
    Ayuda individual con presupuestos, crédito y deudas.
MONEY.EMERGENCY | Asistencia financiera de emergencia
    Ayuda única con una factura urgente.
MONEY.MEDICAL_BILLS | Asistencia con facturas médicas
    Ayuda con facturas de hospital, deudas médicas y solicitudes de atención caritativa.
EMPLOYMENT | Empleo
    Encontrar y mantener un trabajo.
EMPLOYMENT.TRAINING | Capacitación laboral
    Capacitación y certificados para trabajos con alta demanda.
EMPLOYMENT.SEARCH | Ayuda para buscar empleo
    Currículums, práctica de entrevistas y ofertas de trabajo.
EMPLOYMENT.YOUTH | Empleo para jóvenes
    Trabajos de verano y experiencia laboral para jóvenes.
EMPLOYMENT.REENTRY | Empleo para la reinserción
    Ayuda con el empleo para personas que salen de la cárcel o prisión.
EDUCATION | Educación
    Aprender a cualquier edad.
EDUCATION.GED | GED y educación para adultos
    Clases para obtener el diploma de escuela secundaria o el GED.
EDUCATION.ESOL | Clases de inglés (ESOL)
    Inglés para hablantes de otros idiomas.
EDUCATION.DIGITAL | Habilidades digitales
    Clases de computación, teléfonos inteligentes e internet.
EDUCATION.TUTORING | Tutoría y ayuda con las tareas
    Tutoría gratis para niños en edad escolar.
EDUCATION.EARLY | Educación de la primera infancia
    Head Start y prekínder.
HEALTH | Atención médica
    Atención médica y cobertura.
HEALTH.PRIMARY | Atención primaria
    Chequeos, consultas por enfermedad y atención de enfermedades crónicas.
HEALTH.DENTAL | Atención dental
    Limpiezas, empastes y extracciones a bajo costo.
HEALTH.INSURANCE | Inscripción en seguro médico
    Ayuda para inscribirse en Medicaid, Medicare o planes del mercado de seguros.
HEALTH.PRENATAL | Atención prenatal y materna
    Atención durante el embarazo y después del parto.
HEALTH.PRESCRIPTIONS | Asistencia con medicamentos recetados
    Medicamentos gratis o a bajo costo.
HEALTH.EDUCATION | Educación para la salud
    Clases sobre diabetes, nutrición y el manejo de condiciones de salud.
BEHAVIORAL | Salud mental y uso de sustancias
    Bienestar emocional y recuperación.
BEHAVIORAL.COUNSELING | Consejería y terapia
    Terapia individual, familiar y de grupo.
BEHAVIORAL.CRISIS | Línea de crisis
    Alguien con quien hablar ahora mismo, de día o de noche.
BEHAVIORAL.SUD | Tratamiento por uso de sustancias
    Tratamiento ambulatorio y residencial por consumo de alcohol y drogas.
BEHAVIORAL.SUD.MOUD | Medicamentos para el trastorno por consumo de opioides
    Buprenorfina, metadona y naltrexona con consejería.
BEHAVIORAL.SUD.HARM_REDUCTION | Reducción de daños
    Naloxona, servicios de jeringas y tiras de prueba de fentanilo.
BEHAVIORAL.PEER | Apoyo entre pares y grupos de apoyo
    Grupos dirigidos por personas con experiencia propia.
SAFETY | Seguridad
    Protección contra la violencia y el abuso.
SAFETY.DV_HOTLINE | Línea de ayuda contra la violencia doméstica
    Apoyo confidencial y plan de seguridad por teléfono, las 24 horas del día.
SAFETY.DV_SHELTER | Albergue para víctimas de violencia doméstica
    Albergue confidencial para personas que huyen del abuso.
SAFETY.DV_ADVOCACY | Defensoría en violencia doméstica
    Ayuda con órdenes de protección, tribunales y plan de seguridad.
SAFETY.SEXUAL_ASSAULT | Servicios para víctimas de agresión sexual
    Apoyo en crisis, acompañamiento al hospital y consejería después de una agresión sexual.
SAFETY.ELDER_ABUSE | Prevención del abuso de personas mayores
    Ayuda para personas mayores que sufren abuso, negligencia o explotación.
LEGAL | Ayuda legal
    Ayuda legal civil gratis y a bajo costo.
LEGAL.TENANT | Ayuda legal para inquilinos
    Abogados para inquilinos en la corte de renta y en casos de desalojo.
LEGAL.EXPUNGEMENT | Eliminación de antecedentes penales
    Borrar antecedentes penales que impiden conseguir trabajo y vivienda.
LEGAL.FAMILY | Derecho familiar
    Ayuda con custodia, manutención de hijos y divorcio.
LEGAL.CONSUMER | Derecho del consumidor y deudas
    Ayuda con cobradores de deudas, estafas y bancarrota.
FAMILY | Familia y niños
    Apoyo para padres, niños y jóvenes.
FAMILY.DIAPERS | Pañales y artículos para bebés
    Pañales, toallitas, cunas, asientos de seguridad para el auto y ropa de bebé gratis.
FAMILY.CHILD_CARE | Asistencia con el cuidado infantil
    Ayuda para encontrar y pagar el cuidado de niños.
FAMILY.PARENTING | Apoyo para padres
    Visitas al hogar y clases para padres.
FAMILY.YOUTH | Programas para jóvenes
    Programas después de la escuela, de mentoría y de verano.
GOODS | Ropa y artículos para el hogar
    Artículos de primera necesidad.
GOODS.CLOTHING | Ropa
    Ropa, abrigos y ropa de trabajo gratis.
GOODS.HYGIENE | Duchas e higiene
    Duchas, lavandería y kits de higiene.
GOODS.DEVICES | Teléfonos y computadoras gratis
    Computadoras reacondicionadas y teléfonos gratis.
OLDER_ADULTS | Personas mayores
    Apoyo para personas de 60 años o más y sus cuidadores.
OLDER_ADULTS.CENTER | Centro para personas mayores
    Comidas, actividades y clases para personas mayores.
OLDER_ADULTS.IN_HOME | Apoyo en el hogar
    Cuidado personal, tareas domésticas y visitas de compañía en casa.
OLDER_ADULTS.CAREGIVER | Apoyo para cuidadores
    Relevo, capacitación y grupos de apoyo para familiares que cuidan a un ser querido.
VETERANS | Veteranos
    Servicios para veteranos y sus familias.
VETERANS.BENEFITS | Ayuda con beneficios para veteranos
    Ayuda para presentar reclamos y apelaciones ante el VA.
VETERANS.HOUSING | Vivienda para veteranos
    Ayuda con la vivienda para veteranos sin hogar o a punto de perderlo.
IMMIGRANTS | Inmigrantes y refugiados
    Servicios para recién llegados.
IMMIGRANTS.RESETTLEMENT | Reasentamiento de refugiados
    Vivienda, beneficios y orientación para refugiados recién llegados.
IMMIGRANTS.LEGAL | Servicios legales de inmigración
    Ayuda con asilo, residencia permanente (green card), DACA y ciudadanía.
"""


def parse_names(table: str) -> dict[str, tuple[str, str]]:
    """Term code -> (name, description)."""
    found: dict[str, tuple[str, str]] = {}
    code = ""
    for line in table.strip().splitlines():
        if line.startswith(" "):
            name, text = found[code]
            found[code] = (name, f"{text} {line.strip()}".strip())
        else:
            code, name = (part.strip() for part in line.split("|"))
            found[code] = (name, "")
    return found


NAMES: dict[str, tuple[str, str]] = parse_names(TERMS_TABLE)


def translation_rows() -> list[tuple[str, str, str, str]]:
    """(term code, language, name, description), in the taxonomy's order."""
    return [(term.code, LANGUAGE, *NAMES[term.code]) for term in TERMS if term.code in NAMES]
