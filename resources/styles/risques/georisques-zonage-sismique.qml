<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis minScale="1e+08" version="3.22.16-Białowieża" styleCategories="Fields|Rendering" hasScaleBasedVisibilityFlag="0" maxScale="0">
  <fieldConfiguration>
    <field name="code_insee" configurationFlags="None"/>
    <field name="libelle_commune" configurationFlags="None"/>
    <field name="code_zone" configurationFlags="None"/>
    <field name="zone_sismicite" configurationFlags="None"/>
  </fieldConfiguration>
  <aliases>
    <alias name="Code INSEE" field="code_insee" index="0"/>
    <alias name="Commune" field="libelle_commune" index="1"/>
    <alias name="Zone" field="code_zone" index="2"/>
    <alias name="Sismicité" field="zone_sismicite" index="3"/>
  </aliases>
  <defaults>
    <default expression="" field="code_insee" applyOnUpdate="0"/>
    <default expression="" field="libelle_commune" applyOnUpdate="0"/>
    <default expression="" field="code_zone" applyOnUpdate="0"/>
    <default expression="" field="zone_sismicite" applyOnUpdate="0"/>
  </defaults>
  <constraints>
    <constraint unique_strength="0" exp_strength="0" field="code_insee" notnull_strength="0" constraints="0"/>
    <constraint unique_strength="0" exp_strength="0" field="libelle_commune" notnull_strength="0" constraints="0"/>
    <constraint unique_strength="0" exp_strength="0" field="code_zone" notnull_strength="0" constraints="0"/>
    <constraint unique_strength="0" exp_strength="0" field="zone_sismicite" notnull_strength="0" constraints="0"/>
  </constraints>
  <constraintExpressions>
    <constraint desc="" field="code_insee" exp=""/>
    <constraint desc="" field="libelle_commune" exp=""/>
    <constraint desc="" field="code_zone" exp=""/>
    <constraint desc="" field="zone_sismicite" exp=""/>
  </constraintExpressions>
  <expressionfields/>
  <layerGeometryType>4</layerGeometryType>
</qgis>
