<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis minScale="1e+08" version="3.22.16-Białowieża" styleCategories="Fields|Rendering" hasScaleBasedVisibilityFlag="0" maxScale="0">
  <fieldConfiguration>
    <field name="code_insee" configurationFlags="None"/>
    <field name="libelle_commune" configurationFlags="None"/>
    <field name="libelle_risque_jo" configurationFlags="None"/>
    <field name="date_debut_evt" configurationFlags="None"/>
    <field name="date_publication_jo" configurationFlags="None"/>
  </fieldConfiguration>
  <aliases>
    <alias name="Code INSEE" field="code_insee" index="0"/>
    <alias name="Commune" field="libelle_commune" index="1"/>
    <alias name="Risque" field="libelle_risque_jo" index="2"/>
    <alias name="Début de l'événement" field="date_debut_evt" index="3"/>
    <alias name="Publication au JO" field="date_publication_jo" index="4"/>
  </aliases>
  <defaults>
    <default expression="" field="code_insee" applyOnUpdate="0"/>
    <default expression="" field="libelle_commune" applyOnUpdate="0"/>
    <default expression="" field="libelle_risque_jo" applyOnUpdate="0"/>
    <default expression="" field="date_debut_evt" applyOnUpdate="0"/>
    <default expression="" field="date_publication_jo" applyOnUpdate="0"/>
  </defaults>
  <constraints>
    <constraint unique_strength="0" exp_strength="0" field="code_insee" notnull_strength="0" constraints="0"/>
    <constraint unique_strength="0" exp_strength="0" field="libelle_commune" notnull_strength="0" constraints="0"/>
    <constraint unique_strength="0" exp_strength="0" field="libelle_risque_jo" notnull_strength="0" constraints="0"/>
    <constraint unique_strength="0" exp_strength="0" field="date_debut_evt" notnull_strength="0" constraints="0"/>
    <constraint unique_strength="0" exp_strength="0" field="date_publication_jo" notnull_strength="0" constraints="0"/>
  </constraints>
  <constraintExpressions>
    <constraint desc="" field="code_insee" exp=""/>
    <constraint desc="" field="libelle_commune" exp=""/>
    <constraint desc="" field="libelle_risque_jo" exp=""/>
    <constraint desc="" field="date_debut_evt" exp=""/>
    <constraint desc="" field="date_publication_jo" exp=""/>
  </constraintExpressions>
  <expressionfields/>
  <layerGeometryType>4</layerGeometryType>
</qgis>
