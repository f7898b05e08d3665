from .cli import main

if __name__ == "__main__":  # not again in a worker process that imports this module (Dask's spawn)
    main()
