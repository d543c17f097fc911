<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="fr">
    <context>
        <name>DonneesTerritoires</name>
        <message>
            <source>Une adresse https://hôte/chemin?q est lue depuis &lt;miroir&gt;/hôte/chemin?q. Laisser vide pour les services officiels.</source>
            <translation>A URL https://host/path?q is read from &lt;mirror&gt;/host/path?q. Leave empty for the official services.</translation>
        </message>
        <message>
            <source>Couches de contours (*.gpkg *.shp *.geojson);;Tous les fichiers (*)</source>
            <translation>Boundary layers (*.gpkg *.shp *.geojson);;All files (*)</translation>
        </message>
        <message>
            <source>Un GeoPackage ou Shapefile ADMIN EXPRESS (ou toute couche de communes avec un code INSEE) utilisé à la place du réseau.</source>
            <translation>An ADMIN EXPRESS GeoPackage or Shapefile (or any commune layer with an INSEE code) used instead of the network.</translation>
        </message>
        <message>
            <source>Dossier du cache des téléchargements ; vide = dans le profil QGIS.</source>
            <translation>Download cache folder; empty = inside the QGIS profile.</translation>
        </message>
        <message>
            <source>Travailler hors ligne (uniquement depuis le cache)</source>
            <translation>Work offline (from the cache only)</translation>
        </message>
        <message>
            <source>Journal détaillé</source>
            <translation>Verbose log</translation>
        </message>
        <message>
            <source>Miroir des sources</source>
            <translation>Source mirror</translation>
        </message>
        <message>
            <source>Contours locaux</source>
            <translation>Local boundaries</translation>
        </message>
        <message>
            <source>Dossier du cache</source>
            <translation>Cache folder</translation>
        </message>
        <message>
            <source>Taille maximale du cache</source>
            <translation>Maximum cache size</translation>
        </message>
        <message>
            <source>Délai d'attente réseau</source>
            <translation>Network timeout</translation>
        </message>
        <message>
            <source>Remplacé par la variable d'environnement {var} = {value}</source>
            <translation>Overridden by the environment variable {var} = {value}</translation>
        </message>
        <message>
            <source>Choisissez un territoire et des jeux de données de référence : ils seront téléchargés, découpés sur le territoire et chargés stylés dans le projet.</source>
            <translation>Pick a territory and reference datasets: they will be downloaded, clipped to the territory and loaded, styled, into the project.</translation>
        </message>
        <message>
            <source>Paramètres…</source>
            <translation>Settings…</translation>
        </message>
        <message>
            <source>Miroir, contours locaux, cache, mode hors ligne</source>
            <translation>Mirror, local boundaries, cache, offline mode</translation>
        </message>
        <message>
            <source>Ouvrir le panneau Données et territoires</source>
            <translation>Open the Données et territoires panel</translation>
        </message>
        <message>
            <source>Aide en ligne</source>
            <translation>Online help</translation>
        </message>
    </context>
</TS>
